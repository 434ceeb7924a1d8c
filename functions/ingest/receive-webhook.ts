import { MAX_BODY_BYTES } from '../adapters/signed-request.ts';
import { ContractError, type DomainEventMessage } from '../contracts/index.ts';
import { oversizedEvent } from './bus-entry.ts';
import { deliveryKey, forbiddenPublication, webhookSenders, type PathSenders, type WebhookSenders } from './senders.ts';
import { VendorApiUnavailable, WebhookRejected, type InboundRequest, type Resolution, type TranslationContext, type VendorApi, type VendorSettings, type WebhookVendor } from './vendor.ts';
import { VENDOR_IDS, VENDORS } from './vendors/index.ts';

/** EventBridge's entry limit: a bigger body could never be put on the bus. */
export { MAX_BODY_BYTES };

export interface WebhookResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

export interface IngestDeps {
  now(): Date;
  /**
   * Who may post to each path and what each sender may publish (./senders.ts): the stage's
   * `webhooks`. Absent: the defaults (a vendor what it makes; `/webhooks/events` the product's facts
   * and the import's accounts).
   */
  senders?: WebhookSenders;
  /**
   * A sender's active secrets (two during a rotation, newest first): `sender` is the vendor's id on a
   * vendor's path, a sender's name on `/webhooks/events`. Rejects when they cannot be read.
   */
  secrets(vendorId: string, sender: string): Promise<readonly string[]>;
  /**
   * Puts a delivery's events on the bus, once per `deliveryKey` (`<vendor>#<delivery id>`, with the
   * sender on `/webhooks/events`: ./senders.ts `deliveryKey`): a
   * redelivery after success publishes nothing. Resolves once every event is durably on the bus;
   * rejects otherwise (nothing is recorded then, so the vendor's retry publishes). `redelivered`: the
   * delivery had been published before, and nothing was published now.
   */
  publishOnce(deliveryKey: string, events: readonly DomainEventMessage[]): Promise<{ redelivered: boolean } | void>;
  /** Why a request was not accepted, for ops: names and codes only (the answer to the vendor stays fixed). */
  log?(message: string, fields: Record<string, string>): void;
  /** Adds `value` to the metric `name` (a count), for ops: Powertools Metrics on AWS. */
  count?(name: string, value: number): void;
  /**
   * The vendor's API with the stage's token, for a vendor whose webhooks only name objects (HubSpot);
   * `undefined` when the stage does not configure it. Rejects when the token cannot be read.
   */
  vendorApi?(vendorId: string): Promise<VendorApi | undefined>;
  /** The stage's plain settings of a vendor (HubSpot's property mapping, …); none when absent. */
  vendorSettings?(vendorId: string): VendorSettings;
}

/** Another request with the same delivery id is being published right now: the vendor should try again shortly. */
export class DeliveryInProgress extends Error {
  override readonly name = 'DeliveryInProgress';
}

/**
 * `POST /webhooks/<vendor>`: the vendor's request checked in this order, each refusal saying why:
 * 404 unknown vendor, 415 content type, 413 size, 401 signature (missing, wrong, or outside its
 * timestamp window; the signature also says which of the path's senders sent it), 400 a body that is
 * not what the vendor documents (the field named; 409 for a Typeform answer older than the delivery
 * memory), 403 an event its senders may not publish (./senders.ts), 413 an event too big to start a
 * playbook; then its events go on the bus once per delivery, and only then is it answered 2xx. 5xx
 * (503) is kept for "not on the bus yet, send it again". Never throws: any body gets an answer.
 */
export async function receiveWebhook(vendorId: string, request: InboundRequest, deps: IngestDeps): Promise<WebhookResponse> {
  const vendor = Object.hasOwn(VENDORS, vendorId) ? VENDORS[vendorId]! : undefined;
  if (!vendor) return refuse(404, `Unknown vendor ${JSON.stringify(vendorId)}: the webhook paths are ${VENDOR_IDS.map((id) => `/webhooks/${id}`).join(', ')}`);
  if (request.method !== 'POST') return refuse(405, 'Use POST', [], { allow: 'POST' });

  const contentType = request.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (!vendor.contentTypes.includes(mediaType)) {
    return refuse(415, `${vendor.name} sends ${vendor.contentTypes.join(' or ')}; got ${contentType ? JSON.stringify(contentType) : 'no Content-Type'}`);
  }
  if (request.rawBody.byteLength > MAX_BODY_BYTES) return refuse(413, `Body is ${request.rawBody.byteLength} bytes; the limit is ${MAX_BODY_BYTES}`);

  const senders: PathSenders = (deps.senders ?? DEFAULT_SENDERS)[vendor.id] ?? {};
  let secretsOf: [sender: string, secrets: readonly string[]][];
  try {
    secretsOf = await Promise.all(Object.keys(senders).map(async (sender) => [sender, await deps.secrets(vendor.id, sender)] as [string, readonly string[]]));
  } catch (error) {
    // Why, for ops (the error's name and code, never its text: AWS's can name accounts and roles); the vendor gets a fixed answer.
    deps.log?.('webhook signing secrets unreadable', { vendor: vendor.id, ...errorFields(error) });
    return refuse(503, 'The signing secrets could not be read, so nothing was accepted; send it again', [], { 'retry-after': '30' });
  }
  const now = deps.now();
  const verification = signedBy(vendor, request, secretsOf, now, deps);
  if (!verification.verified) return refuse(401, verification.error);

  const context: TranslationContext = { now, settings: deps.vendorSettings?.(vendor.id) ?? {} };
  const translated = translate(vendor, request, context, deps);
  if ('refusal' in translated) return translated.refusal;
  if ('reply' in translated) return translated.reply;

  const resolved = await resolvePending(vendor, translated.pending ?? [], deps, context);
  if ('refusal' in resolved) return resolved.refusal;
  const toPublish = [...translated.events, ...resolved.events];
  const allIgnored = [...(translated.ignored ?? []), ...(resolved.ignored ?? [])];

  // Who may say what: one event its senders may not publish refuses the whole delivery, unrecorded, so a corrected one is accepted.
  const forbidden = forbiddenPublication(vendor.id, senders, verification.senders, toPublish.map((event) => event.type));
  if (forbidden) {
    deps.log?.('webhook event type not allowed for its sender', { vendor: vendor.id, senders: verification.senders.join(','), types: [...new Set(toPublish.map((event) => event.type))].join(',') });
    return refuse(403, forbidden);
  }
  // Limits at the door: an event that could not start its playbook is refused now, not lost later.
  const oversized = toPublish.map(oversizedEvent).filter((problem) => problem !== undefined);
  if (oversized.length > 0) return refuse(413, oversized[0]!, oversized.slice(1));

  const events = toPublish.map((event) => ({ eventId: event.data.eventId, type: event.type }));
  const ignored = allIgnored.length > 0 ? { ignored: allIgnored } : {};
  let redelivered = false;
  if (toPublish.length > 0) {
    try {
      redelivered = (await deps.publishOnce(deliveryKey(vendor.id, verification.senders, translated.deliveryId), toPublish))?.redelivered === true;
    } catch (error) {
      if (error instanceof DeliveryInProgress) return refuse(503, 'This delivery is being accepted by another request; send it again shortly', [], { 'retry-after': '5' });
      deps.log?.('webhook events not put on the bus', { vendor: vendor.id, ...errorFields(error) });
      return refuse(503, 'The events could not be put on the bus; send it again', [], { 'retry-after': '10' });
    }
  }
  // One event: its id and type at the top too, as `POST /webhooks/events` always answered.
  const single = events.length === 1 ? events[0]! : {};
  // Added after v1: a sender that re-sends on purpose (`playbooks import`) can tell "already accepted".
  const repeat = redelivered ? { redelivered: true } : {};
  return { statusCode: vendor.acceptedStatus ?? 202, body: { accepted: true, ...single, events, ...ignored, ...repeat } };
}

/** Unconfigured paths: each vendor what it makes, `/webhooks/events` the product's facts and the import's accounts. */
const DEFAULT_SENDERS = webhookSenders();

/**
 * Which of the path's senders signed the request: every sender whose active secrets verify it (a
 * secret two senders share makes its holder both). Each sender is checked, none skipped once one
 * verifies. None: why, as the vendor's scheme says it, preferring a sender that has secrets.
 */
function signedBy(vendor: WebhookVendor, request: InboundRequest, secretsOf: readonly [string, readonly string[]][], now: Date, deps: IngestDeps): { verified: true; senders: string[] } | { verified: false; error: string } {
  const senders: string[] = [];
  let error: string | undefined;
  let noSecretError: string | undefined;
  for (const [sender, secrets] of secretsOf) {
    let verification: ReturnType<WebhookVendor['verify']>;
    try {
      verification = vendor.verify(request, secrets, now);
    } catch (thrown) {
      deps.log?.('webhook signature check failed', { vendor: vendor.id, ...errorFields(thrown) });
      verification = { verified: false, error: 'The signature could not be checked' };
    }
    if (verification.verified) senders.push(sender);
    else if (secrets.length > 0) error ??= verification.error;
    else noSecretError ??= verification.error;
  }
  if (senders.length > 0) return { verified: true, senders };
  return { verified: false, error: error ?? noSecretError ?? 'No sender is configured for this path, so no signature verifies' };
}

function translate(vendor: WebhookVendor, request: InboundRequest, context: TranslationContext, deps: IngestDeps) {
  try {
    return vendor.translate(request, context);
  } catch (error) {
    return { refusal: refusalFor(vendor, error, deps) };
  }
}

/**
 * A body the vendor's module could not read, as a 400 that names the field but never quotes the body
 * (JSON.parse's own message does: it is replaced). An unexpected error (a bug of ours) must not become
 * a crash or a 5xx the vendor retries forever: a fixed 400, and its name in the log for ops.
 */
function refusalFor(vendor: WebhookVendor, error: unknown, deps: IngestDeps): WebhookResponse {
  if (error instanceof SyntaxError) return refuse(400, 'Body is not valid JSON');
  if (error instanceof ContractError) return refuse(400, error.message, error.problems);
  if (error instanceof WebhookRejected) return refuse(error.statusCode, error.message, error.details);
  deps.log?.('webhook body unreadable', { vendor: vendor.id, ...errorFields(error) });
  return refuse(400, `The ${vendor.name} request could not be read`);
}

/** What a log may say of an error: its name and AWS or vendor code, never its message. */
function errorFields(error: unknown): Record<string, string> {
  const { name, code } = error as { name?: unknown; code?: unknown };
  return { error: typeof name === 'string' ? name : 'unknown', ...(typeof code === 'string' ? { code } : {}) };
}

/**
 * The vendor's `resolve` step, for what its translation could not map alone: the vendor's API
 * unreachable, failing or refusing the token is 503 with Retry-After (nothing published; the vendor
 * sends it again), never a 4xx that would make it give up.
 */
async function resolvePending(vendor: WebhookVendor, pending: readonly unknown[], deps: IngestDeps, context: TranslationContext): Promise<Resolution | { refusal: WebhookResponse }> {
  if (pending.length === 0 || !vendor.resolve) return { events: [] };
  let api: VendorApi | undefined;
  try {
    api = await deps.vendorApi?.(vendor.id);
  } catch (error) {
    deps.log?.('vendor API token unreadable', { vendor: vendor.id, ...errorFields(error) });
    return { refusal: refuse(503, `${vendor.name}'s API token could not be read, so nothing was accepted; send it again`, [], { 'retry-after': '30' }) };
  }
  try {
    return await vendor.resolve(pending, api, context);
  } catch (error) {
    if (error instanceof VendorApiUnavailable) {
      return { refusal: refuse(503, `${error.message}; nothing was accepted, send it again`, [], { 'retry-after': String(error.retryAfterSeconds) }) };
    }
    return { refusal: refusalFor(vendor, error, deps) };
  }
}

function refuse(statusCode: number, error: string, details: readonly string[] = [], headers?: Record<string, string>): WebhookResponse {
  return { statusCode, ...(headers ? { headers } : {}), body: details.length > 0 ? { error, details } : { error } };
}
