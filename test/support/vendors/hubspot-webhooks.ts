import { createHmac } from 'node:crypto';

/**
 * Signs a request as HubSpot's webhooks do (v3, https://developers.hubspot.com/docs/api/webhooks/validating-requests):
 * `X-HubSpot-Signature-v3` = base64 HMAC-SHA256, keyed with the app's client secret, of
 * method + URI + body + timestamp (ms, also sent as `X-HubSpot-Request-Timestamp`), where the URI has
 * the doc's table of URL-encoded characters decoded. Written from the doc, apart from the module under
 * test, so that a test does not check the code against itself.
 */
export const HUBSPOT_URI_DECODING: readonly (readonly [string, string])[] = [
  ['%3A', ':'],
  ['%2F', '/'],
  ['%3F', '?'],
  ['%40', '@'],
  ['%21', '!'],
  ['%24', '$'],
  ['%27', "'"],
  ['%28', '('],
  ['%29', ')'],
  ['%2A', '*'],
  ['%2C', ','],
  ['%3B', ';'],
];

export interface HubSpotSigning {
  clientSecret: string;
  url: string;
  body: string | Buffer;
  method?: string;
  /** When HubSpot signed it; now by default. */
  signedAt?: Date;
}

export function hubspotSignatureHeaders({ clientSecret, url, body, method = 'POST', signedAt = new Date() }: HubSpotSigning): Record<string, string> {
  const timestamp = String(signedAt.getTime());
  let uri = url;
  for (const [encoded, decoded] of HUBSPOT_URI_DECODING) uri = uri.split(encoded).join(decoded).split(encoded.toLowerCase()).join(decoded);
  const source = Buffer.concat([Buffer.from(`${method}${uri}`, 'utf8'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), Buffer.from(timestamp, 'utf8')]);
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': createHmac('sha256', clientSecret).update(source).digest('base64'),
    'x-hubspot-request-timestamp': timestamp,
  };
}
