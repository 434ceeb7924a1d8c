import { checkSignedJsonRequest, MAX_BODY_BYTES, type SignedRequest } from '../adapters/signed-request.ts';
import { ContractError, parseDomainEventMessage, type DomainEventMessage } from '../contracts/index.ts';

/** EventBridge's entry limit: a bigger body could never be put on the bus. */
export { MAX_BODY_BYTES };

export type WebhookRequest = SignedRequest;

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
  const check = checkSignedJsonRequest(request, deps.secrets);
  if (!check.verified) return refuse(check.statusCode, check.error);
  const { payload } = check;

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

function refuse(statusCode: number, error: string, details?: readonly string[]): WebhookResponse {
  return { statusCode, body: details ? { error, details } : { error } };
}
