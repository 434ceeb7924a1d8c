import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ContractError, parseDomainEventMessage, type DomainEventMessage } from '../contracts/index.ts';

/** EventBridge's entry limit: a bigger body could never be put on the bus. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface WebhookRequest {
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The bytes as received: the signature covers them, not a re-serialisation. */
  rawBody: Buffer;
}

export interface WebhookResponse {
  statusCode: number;
  body: { accepted: true; eventId: string; type: string } | { error: string; details?: readonly string[] };
}

export interface IngestDeps {
  /** Active secrets (`whsec_…`); two during a rotation, the old one until every sender moved. */
  secrets: readonly string[];
  /** Put one event on the bus; resolves once it is durably there, rejects otherwise. */
  publish(message: DomainEventMessage): Promise<void>;
}

/**
 * `POST /webhooks/events`: a domain event as a Standard Webhooks message. Verified on the raw
 * bytes, validated, put on the bus, then answered 202. Every refusal says why, and 5xx is kept for
 * "not on the bus yet, send it again".
 */
export async function receiveWebhook(request: WebhookRequest, deps: IngestDeps): Promise<WebhookResponse> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    return refuse(415, `Content-Type must be application/json, got ${contentType ? JSON.stringify(contentType) : 'none'}`);
  }
  if (request.rawBody.byteLength > MAX_BODY_BYTES) {
    return refuse(413, `Body is ${request.rawBody.byteLength} bytes; the limit is ${MAX_BODY_BYTES}`);
  }
  const payload = request.rawBody.toString('utf8');
  const verification = verifySignature(payload, request.headers, deps.secrets);
  if (verification !== 'verified') return refuse(401, verification);

  let message: DomainEventMessage;
  try {
    message = parseDomainEventMessage(JSON.parse(payload));
  } catch (error) {
    if (error instanceof SyntaxError) return refuse(400, `Body is not valid JSON: ${error.message}`);
    if (error instanceof ContractError) return refuse(400, error.message, error.problems);
    throw error;
  }
  try {
    await deps.publish(message);
  } catch (error) {
    return refuse(503, `The event could not be put on the bus; send it again (${(error as Error).message})`);
  }
  return { statusCode: 202, body: { accepted: true, eventId: message.data.eventId, type: message.type } };
}

/**
 * HMAC-SHA256 over `id.timestamp.body`, a five-minute timestamp window and constant-time
 * comparison, as the standardwebhooks library implements them; each active secret is tried.
 */
function verifySignature(payload: string, headers: WebhookRequest['headers'], secrets: readonly string[]): 'verified' | string {
  const signed = {
    'webhook-id': headers['webhook-id'] ?? '',
    'webhook-timestamp': headers['webhook-timestamp'] ?? '',
    'webhook-signature': headers['webhook-signature'] ?? '',
  };
  const missing = Object.entries(signed).filter(([, value]) => !value).map(([name]) => name);
  if (missing.length > 0) return `Missing signature headers: ${missing.join(', ')}`;
  let reason = 'No secret is configured';
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(payload, signed, { jsonParse: false });
      return 'verified';
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      reason = error.message;
    }
  }
  return `Signature rejected: ${reason}`;
}

function refuse(statusCode: number, error: string, details?: readonly string[]): WebhookResponse {
  return { statusCode, body: details ? { error, details } : { error } };
}
