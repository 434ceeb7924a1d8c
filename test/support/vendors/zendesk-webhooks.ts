import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { InboundRequest } from '../../../functions/ingest/vendor.ts';

/**
 * Zendesk's webhook requests, signed as Zendesk signs them
 * (https://developer.zendesk.com/documentation/webhooks/verifying/): base64 HMAC-SHA256 of the
 * signature timestamp followed by the raw body, keyed with the signing secret's own bytes. Computed here
 * with node:crypto, not with functions/ingest/signatures.ts, so a bug there cannot agree with itself.
 */

/** The static secret Zendesk signs test requests with (sent from the webhook form before it exists). */
export const ZENDESK_TEST_SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

/** Zendesk's timestamp format: ISO 8601 in whole seconds (`2021-03-25T05:09:27Z`). */
export const zendeskTimestamp = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function zendeskSignature(body: string | Buffer, timestamp: string, secret = ZENDESK_TEST_SECRET): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('base64');
}

/** The headers of a signed Zendesk request (lower case, as the pipeline sees them). */
export function zendeskHeaders(body: string | Buffer, options: { secret?: string; signedAt?: Date; timestamp?: string } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? zendeskTimestamp(options.signedAt ?? new Date());
  return {
    'content-type': 'application/json',
    'user-agent': 'Zendesk Webhook',
    'x-zendesk-account-id': '123456',
    'x-zendesk-webhook-id': '01F1KRFQ6BG29CNWFR60NK5FNY',
    'x-zendesk-webhook-invocation-id': '8350205582',
    'x-zendesk-webhook-signature': zendeskSignature(body, timestamp, options.secret),
    'x-zendesk-webhook-signature-timestamp': timestamp,
  };
}

export function zendeskRequest(body: string | Buffer, options: Parameters<typeof zendeskHeaders>[1] & { headers?: Record<string, string | undefined> } = {}): InboundRequest {
  return {
    method: 'POST',
    url: 'https://api.example.com/webhooks/zendesk',
    headers: { ...zendeskHeaders(body, options), ...options.headers },
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  };
}

export const zendeskSample = (name: string) => readFileSync(`functions/ingest/vendors/samples/zendesk-${name}.json`, 'utf8');

/** A trigger's JSON body as Zendesk renders it: each `{{placeholder}}` replaced by its value. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`No value for {{${name}}}`);
    return JSON.stringify(values[name]).slice(1, -1);
  });
}
