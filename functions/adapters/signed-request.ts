import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * An inbound JSON request signed the Standard Webhooks way: the vendors' `POST /webhooks/events` and
 * the CSM's `POST /approvals/<id>` are both checked here, in this order, before their body is read.
 */

/** EventBridge's entry and Step Functions' payload limit: a bigger body could go nowhere. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface SignedRequest {
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The bytes as received: the signature covers them, not a re-serialisation. */
  rawBody: Buffer;
}

export type SignedRequestCheck = { verified: true; payload: string } | { verified: false; statusCode: 401 | 413 | 415; error: string };

/** 415 unless JSON, 413 past the size limit, 401 unless signed by one of `secrets`; else the body as text. */
export function checkSignedJsonRequest(request: SignedRequest, secrets: readonly string[]): SignedRequestCheck {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    return { verified: false, statusCode: 415, error: `Content-Type must be application/json, got ${contentType ? JSON.stringify(contentType) : 'none'}` };
  }
  if (request.rawBody.byteLength > MAX_BODY_BYTES) {
    return { verified: false, statusCode: 413, error: `Body is ${request.rawBody.byteLength} bytes; the limit is ${MAX_BODY_BYTES}` };
  }
  const payload = request.rawBody.toString('utf8');
  const verification = verifySignature(payload, request.headers, secrets);
  return verification === 'verified' ? { verified: true, payload } : { verified: false, statusCode: 401, error: verification };
}

/** `webhook-timestamp` as the specification writes it: integer Unix seconds, nothing around them. */
const UNIX_SECONDS = /^[0-9]{1,12}$/;

/**
 * HMAC-SHA256 over `id.timestamp.body`, a five-minute timestamp window and constant-time
 * comparison, as the standardwebhooks library implements them; each active secret is tried.
 */
export function verifySignature(payload: string, headers: SignedRequest['headers'], secrets: readonly string[]): 'verified' | string {
  const signed = {
    'webhook-id': headers['webhook-id'] ?? '',
    'webhook-timestamp': headers['webhook-timestamp'] ?? '',
    'webhook-signature': headers['webhook-signature'] ?? '',
  };
  const missing = Object.entries(signed).filter(([, value]) => !value).map(([name]) => name);
  if (missing.length > 0) return `Missing signature headers: ${missing.join(', ')}`;
  // The library reads it with parseInt, which takes `1700000000abc` for 1700000000: a signed value is checked whole.
  if (!UNIX_SECONDS.test(signed['webhook-timestamp'])) return 'Signature rejected: webhook-timestamp must be a Unix time in seconds, digits only';
  let reason = 'No secret is configured';
  for (const secret of secrets) {
    let webhook: Webhook;
    try {
      webhook = new Webhook(secret);
    } catch {
      // Not a `whsec_<base64>` value (a paste gone wrong during a rotation): the other secrets still verify.
      reason = 'a configured secret is not a whsec_ value';
      continue;
    }
    try {
      webhook.verify(payload, signed, { jsonParse: false });
      return 'verified';
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      reason = error.message;
    }
  }
  return `Signature rejected: ${reason}`;
}

/** Header names in lower case, as HTTP says they compare (API Gateway and proxies keep the sender's case). */
export function lowerCaseHeaders(headers: Readonly<Record<string, string | undefined>> | undefined): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}
