import { createHash } from 'node:crypto';
import { DetailSchemas, type DomainEventMessage } from '../../contracts/index.ts';
import { COUNTRY_CODE } from '../../contracts/formats.ts';
import { ContractError, describeIssues, z } from '../../contracts/zod.ts';
import { hmac, verifyTimestamped } from '../signatures.ts';
import { VendorApiUnavailable, WebhookRejected, type InboundRequest, type Resolution, type VendorApi, type VendorApiAnswer, type WebhookVendor } from '../vendor.ts';

/**
 * `POST /webhooks/hubspot`: CRM events of a HubSpot app's webhook subscriptions (Webhooks API v3).
 *
 * Contracts followed (HubSpot docs):
 * - https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 *   (legacy apps: https://developers.hubspot.com/docs/api/webhooks/validating-requests) — the v3
 *   signature: `X-HubSpot-Signature-v3` is the base64 HMAC-SHA256, keyed with the app's client secret,
 *   of `method + URI + body + timestamp`, where the timestamp is `X-HubSpot-Request-Timestamp` (ms)
 *   and the URI has the URL-encoded characters of HubSpot's table decoded; a timestamp older than
 *   five minutes is refused.
 * - https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide — the body is a JSON
 *   array of up to 100 events `{ eventId, subscriptionId, portalId, appId, occurredAt (ms),
 *   subscriptionType, attemptNumber, objectId, propertyName?, propertyValue?, changeSource, … }`.
 * - https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions — the generic
 *   `object.*` subscription types carry the object's type as `objectTypeId` (`0-2` a company).
 *
 * - https://developers.hubspot.com/docs/guides/crm/using-object-apis — object type ids (`0-3` deals,
 *   `0-27` tasks, `0-47` meetings, `0-48` calls, `0-49` e-mails) and `GET /crm/v3/objects/{type}/{id}`
 *   with `properties=` and `associations=` (the answer's `associations.<type>.results[].id`).
 * - https://developers.hubspot.com/docs/api/crm/tasks, /calls, /meetings, /emails, /deals — the
 *   properties read: `hs_task_status`, `hs_timestamp` (an engagement's time), `pipeline`, `dealname`,
 *   `description`, `createdate`.
 *
 * Accounts are keyed by HubSpot company id (the CRM adapter's default, functions/adapters/hubspot/
 * hubspot-crm.ts), so a company's `objectId` is the account id; when the stage keys accounts by a
 * company property (`HUBSPOT_COMPANY_ID_PROPERTY`), `resolve` reads it from the associated company.
 *
 * What `translate` maps alone: a company's property change, for the properties of COMPANY_FIELDS,
 * becomes an `AccountUpdated` of that one field, as of `occurredAt`.
 *
 * What it leaves `pending` for `resolve`, because HubSpot's events carry only the object's id (HubSpot's
 * own advice: the webhook notifies, the receiver reads the record): a task's `hs_task_status` becoming
 * `COMPLETED` (→ `TaskCompleted` of our ledger's task, whose id our CRM adapter wrote in the task's
 * `cs_playbooks_id`), a deal's creation (→ `ChurnRiskCreated` when it is in the retention pipeline and
 * was not opened by cs-playbooks itself), and a call's, meeting's or e-mail's creation (→
 * `TouchpointLogged`). Everything else is answered 2xx and listed as ignored with its reason.
 */

/** HubSpot company properties → the account field they feed. Default company properties only: a company record plainly has them. */
export const COMPANY_FIELDS = {
  /** "Company name". */
  name: 'name',
  /** "Country/Region": free text in HubSpot; only an ISO 3166-1 alpha-2 code is taken (`FR`, not `France`). */
  country: 'country',
  /** "Time zone": free text in HubSpot; only an IANA zone is taken (`Europe/Paris`). */
  timezone: 'timezone',
} as const satisfies Record<string, 'name' | 'country' | 'timezone'>;

/** HubSpot's object type ids, as the generic `object.*` subscriptions send them. */
const OBJECT_TYPE_IDS: Readonly<Record<string, string>> = {
  '0-2': 'company',
  '0-3': 'deal',
  '0-27': 'task',
  '0-47': 'meeting',
  '0-48': 'call',
  '0-49': 'email',
};

/**
 * Escapes the v3 scheme decodes in the URI before signing (HubSpot's table); the `?` that starts a
 * query string is never encoded, so decoding `%3F` leaves it alone.
 */
const DECODED_IN_URI: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export const SIGNATURE_HEADER = 'X-HubSpot-Signature-v3';
export const TIMESTAMP_HEADER = 'X-HubSpot-Request-Timestamp';

/** The URI as HubSpot signs it: its table's escapes decoded (either case of hex digits), nothing else. */
export function signedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => DECODED_IN_URI[escape.toUpperCase()]!);
}

/** The v3 signature of a request with `clientSecret`: base64 HMAC-SHA256 of method + URI + body + timestamp. */
export function signatureV3(clientSecret: string, request: Pick<InboundRequest, 'method' | 'url' | 'rawBody'>, timestamp: string): string {
  return hmac('sha256', clientSecret, [request.method, signedUri(request.url), request.rawBody, timestamp], 'base64');
}

const objectId = () => z.int().check(z.gte(0));

/** One event of the batch; fields HubSpot adds (`changeFlag`, `sourceId`, `isSensitive`, …) are read past. */
const HubSpotEvent = z.object({
  eventId: objectId(),
  subscriptionId: objectId(),
  portalId: objectId(),
  appId: objectId(),
  occurredAt: objectId(),
  subscriptionType: z.string().check(z.minLength(1)),
  attemptNumber: z.int().check(z.gte(0)),
  objectId: objectId(),
  objectTypeId: z.optional(z.string()),
  propertyName: z.optional(z.string()),
  propertyValue: z.optional(z.string()),
  changeSource: z.optional(z.string()),
});
type HubSpotEvent = z.infer<typeof HubSpotEvent>;

const Batch = z.array(HubSpotEvent).check(z.minLength(1), z.maxLength(100));

/** What only a read of HubSpot's CRM API can turn into an event: the event, and the object to read. */
export interface HubSpotPending {
  event: HubSpotEvent;
  index: number;
  read: ReadKind;
}
type ReadKind = 'task' | 'deal' | EngagementKind;
type EngagementKind = 'call' | 'meeting' | 'email';

export const hubspot: WebhookVendor<HubSpotPending> = {
  id: 'hubspot',
  name: 'HubSpot',
  contentTypes: ['application/json'],
  verify(request, secrets, now) {
    return verifyTimestamped(
      {
        signatureHeader: SIGNATURE_HEADER,
        timestampHeader: TIMESTAMP_HEADER,
        timestampMs: (value) => (/^\d{1,16}$/.test(value) ? Number(value) : undefined),
        timestampFormat: 'a time in milliseconds',
        sign: (secret, timestamp) => signatureV3(secret, request, timestamp),
      },
      request.headers,
      secrets,
      now,
    );
  },
  translate(request) {
    const parsed = Batch.safeParse(JSON.parse(request.rawBody.toString('utf8')));
    if (!parsed.success) throw new WebhookRejected('HubSpot webhook body is not an array of 1 to 100 events as documented', describeIssues(parsed.error));
    const events: DomainEventMessage[] = [];
    const ignored: string[] = [];
    const pending: HubSpotPending[] = [];
    parsed.data.forEach((event, index) => {
      const outcome = translateEvent(event, index);
      if ('event' in outcome) events.push(outcome.event);
      else if ('read' in outcome) pending.push({ event, index, read: outcome.read });
      else ignored.push(`${label(event)}: ${outcome.ignored}`);
    });
    return { deliveryId: deliveryIdOf(parsed.data), events, ...(ignored.length > 0 ? { ignored } : {}), ...(pending.length > 0 ? { pending } : {}) };
  },
  async resolve(pending, api) {
    if (!api) {
      return { events: [], ignored: pending.map((item) => `${label(item.event)}: reading the ${item.read} needs HubSpot's API, which this stage does not configure (HUBSPOT_ACCESS_TOKEN in the vendor secret)`) };
    }
    const outcomes = await mapLimited(pending, READS_IN_PARALLEL, (item) => resolveOne(item, api));
    const resolution: Resolution = { events: [], ignored: [] };
    outcomes.forEach((outcome, i) => {
      if ('event' in outcome) resolution.events.push(outcome.event);
      else resolution.ignored!.push(`${label(pending[i]!.event)}: ${outcome.ignored}`);
    });
    return resolution;
  },
};

const label = (event: HubSpotEvent) => `event ${event.eventId} (${event.subscriptionType})`;

/**
 * One event's identity. HubSpot documents `eventId` as not guaranteed unique, so it is qualified by
 * what makes an event that one: the portal, the subscription, the object, when it happened and the
 * property. `attemptNumber` is left out: a retry is the same event.
 */
export function eventKeyOf(event: Pick<HubSpotEvent, 'portalId' | 'subscriptionId' | 'eventId' | 'objectId' | 'occurredAt' | 'propertyName'>): string {
  return [event.portalId, event.subscriptionId, event.eventId, event.objectId, event.occurredAt, event.propertyName ?? ''].join(':');
}

/**
 * HubSpot has no delivery id, and a retry sends the same batch again (a higher `attemptNumber`): the
 * batch is its events' identities, sorted, hashed to a fixed length.
 */
export function deliveryIdOf(events: readonly Parameters<typeof eventKeyOf>[0][]): string {
  const keys = events.map(eventKeyOf).sort();
  return `events-${createHash('sha256').update(keys.join(',')).digest('hex')}`;
}

type Outcome = { event: DomainEventMessage } | { ignored: string };

/** What one event means for the playbooks, or which read would say, or why it means nothing to them. */
function translateEvent(event: HubSpotEvent, index: number): Outcome | { read: ReadKind } {
  const [objectType, change] = subscriptionOf(event);
  if (objectType === 'company' && change === 'propertyChange') return companyPropertyChange(event, index);
  if (objectType === 'company') return { ignored: 'only property changes of a company update the account' };
  if (objectType === 'task') {
    if (change === 'propertyChange' && event.propertyName === 'hs_task_status' && event.propertyValue === 'COMPLETED') return { read: 'task' };
    return { ignored: "only a task's hs_task_status becoming COMPLETED completes a ledger task" };
  }
  if (objectType === 'deal') return change === 'creation' ? { read: 'deal' } : { ignored: "only a deal's creation can open a risk" };
  if (objectType === 'call' || objectType === 'meeting' || objectType === 'email') {
    return change === 'creation' ? { read: objectType } : { ignored: `only a ${objectType}'s creation is a touchpoint` };
  }
  return { ignored: 'no playbook reads this subscription type' };
}

/** `company.propertyChange` (legacy) or `object.propertyChange` with `objectTypeId` `0-2` (generic): [`company`, `propertyChange`]. */
function subscriptionOf(event: HubSpotEvent): [string | undefined, string | undefined] {
  const [object, change] = event.subscriptionType.split('.', 2);
  if (object === 'object') return [OBJECT_TYPE_IDS[event.objectTypeId ?? ''], change];
  return [object, change];
}

function companyPropertyChange(event: HubSpotEvent, index: number): Outcome {
  const property = event.propertyName ?? '';
  if (!Object.hasOwn(COMPANY_FIELDS, property)) return { ignored: `company property ${JSON.stringify(property)} feeds no account field` };
  const field = COMPANY_FIELDS[property as keyof typeof COMPANY_FIELDS];
  const value = (event.propertyValue ?? '').trim();
  // The account record has no "unknown" for these fields: a cleared value keeps the last known one.
  if (value === '') return { ignored: `company property ${property} was cleared; the account keeps its ${field}` };
  if (field === 'country' && !COUNTRY_CODE.test(value)) return { ignored: `company property country is not an ISO 3166-1 alpha-2 code; the account keeps its country` };
  if (field === 'timezone' && !isTimeZone(value)) return { ignored: 'company property timezone is not an IANA time zone; the account keeps its timezone' };

  const at = new Date(event.occurredAt).toISOString();
  const detail = DetailSchemas.AccountUpdated.safeParse({ eventId: `hubspot:${eventKeyOf(event)}`, accountId: String(event.objectId), [field]: value, updatedAt: at });
  if (!detail.success) throw new ContractError(`HubSpot event ${event.eventId}`, describeIssues(detail.error, [index]));
  return { event: { type: 'AccountUpdated', timestamp: at, data: detail.data } };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the objects HubSpot's events name (`resolve`).

/** Reads of one delivery at a time: a batch of up to 100 events stays within HubSpot's per-second limit and the ingest's 10 s. */
const READS_IN_PARALLEL = 5;
/** Our ledger's id on the tasks and deals the CRM adapter writes (its `DEFAULT_ID_PROPERTY`). */
export const DEFAULT_ID_PROPERTY = 'cs_playbooks_id';
/**
 * The deal property saying which kind of risk a retention deal is: `churn-risk` or `downsell-risk`
 * (a custom dropdown property ops create on deals; README.md). Unset or empty: `churn-risk`, the
 * retention pipeline's default. `dealtype` cannot say it: its values are new or existing business.
 */
export const RISK_KIND_PROPERTY = 'cs_risk_kind';
const RISK_KINDS = ['churn-risk', 'downsell-risk'] as const;
const ENGAGEMENT_OBJECTS: Record<EngagementKind, string> = { call: 'calls', meeting: 'meetings', email: 'emails' };

/** `GET /crm/v3/objects/{type}/{id}`: properties are strings or null (read by `present`); associations by the plural type asked. */
const CrmObject = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.unknown()),
  associations: z.optional(z.record(z.string(), z.object({ results: z.array(z.object({ id: z.string() })) }))),
});
type CrmObject = z.infer<typeof CrmObject>;

async function resolveOne(item: HubSpotPending, api: VendorApi): Promise<Outcome> {
  if (item.read === 'task') return taskCompleted(item, api);
  if (item.read === 'deal') return riskCreated(item, api);
  return touchpointLogged(item, item.read, api);
}

/** `hs_task_status` became COMPLETED: the ledger's task (its id in `cs_playbooks_id`) is completed as of `occurredAt`. */
async function taskCompleted({ event, index }: HubSpotPending, api: VendorApi): Promise<Outcome> {
  const idProperty = api.settings.HUBSPOT_ID_PROPERTY ?? DEFAULT_ID_PROPERTY;
  const task = await read(api, 'task', `/crm/v3/objects/tasks/${event.objectId}?properties=${encodeURIComponent(`${idProperty},hs_task_status`)}&associations=companies`);
  if ('ignored' in task) return task;
  const taskId = present(task.object.properties[idProperty]);
  if (!taskId) return { ignored: `the task has no ${idProperty}: cs-playbooks did not create it` };
  // The record now is what counts (HubSpot's retries can bring the event late): a task reopened since is not done.
  if (task.object.properties.hs_task_status !== 'COMPLETED') return { ignored: 'the task is no longer COMPLETED in HubSpot (reopened since)' };
  const account = await accountOf(api, 'task', task.object);
  if ('ignored' in account) return account;
  const at = new Date(event.occurredAt).toISOString();
  return domainEvent('TaskCompleted', at, { eventId: `hubspot:${eventKeyOf(event)}`, accountId: account.accountId, taskId, at }, event, index);
}

/** A deal created in the retention pipeline, by someone else than cs-playbooks: a churn or downsell risk. */
async function riskCreated({ event, index }: HubSpotPending, api: VendorApi): Promise<Outcome> {
  const pipeline = api.settings.HUBSPOT_RISK_PIPELINE;
  if (!pipeline) return { ignored: 'no retention pipeline is configured (HUBSPOT_RISK_PIPELINE), so no deal is a risk' };
  const idProperty = api.settings.HUBSPOT_ID_PROPERTY ?? DEFAULT_ID_PROPERTY;
  const properties = [idProperty, 'pipeline', 'dealname', 'description', 'createdate', RISK_KIND_PROPERTY].join(',');
  const deal = await read(api, 'deal', `/crm/v3/objects/deals/${event.objectId}?properties=${encodeURIComponent(properties)}&associations=companies`);
  if ('ignored' in deal) return deal;
  const { properties: values } = deal.object;
  if (values.pipeline !== pipeline) return { ignored: 'the deal is not in the retention pipeline (HUBSPOT_RISK_PIPELINE)' };
  // Our own risk deals: the playbook that opened the risk created them (no loop).
  if (present(values[idProperty])) return { ignored: `the deal carries ${idProperty}: cs-playbooks opened this risk itself` };
  const kind = present(values[RISK_KIND_PROPERTY]) ?? 'churn-risk';
  if (!(RISK_KINDS as readonly string[]).includes(kind)) return { ignored: `the deal's ${RISK_KIND_PROPERTY} is neither churn-risk nor downsell-risk` };
  const account = await accountOf(api, 'deal', deal.object);
  if ('ignored' in account) return account;
  const createdAt = instant(values.createdate) ?? new Date(event.occurredAt).toISOString();
  const reason = present(values.description) ?? present(values.dealname);
  return domainEvent(
    'ChurnRiskCreated',
    createdAt,
    { eventId: `hubspot:${eventKeyOf(event)}`, accountId: account.accountId, kind, ...(reason ? { reason: reason.slice(0, 4000) } : {}), createdAt },
    event,
    index,
  );
}

/** A call, meeting or e-mail logged on a company: a touchpoint as of its `hs_timestamp`, with its first associated contact. */
async function touchpointLogged({ event, index }: HubSpotPending, channel: EngagementKind, api: VendorApi): Promise<Outcome> {
  const engagement = await read(api, channel, `/crm/v3/objects/${ENGAGEMENT_OBJECTS[channel]}/${event.objectId}?properties=hs_timestamp&associations=${encodeURIComponent('companies,contacts')}`);
  if ('ignored' in engagement) return engagement;
  const account = await accountOf(api, channel, engagement.object);
  if ('ignored' in account) return account;
  const at = instant(engagement.object.properties.hs_timestamp) ?? new Date(event.occurredAt).toISOString();
  const contactId = engagement.object.associations?.contacts?.results[0]?.id;
  return domainEvent('TouchpointLogged', at, { eventId: `hubspot:${eventKeyOf(event)}`, accountId: account.accountId, channel, ...(contactId ? { contactId } : {}), at }, event, index);
}

/**
 * The account an object belongs to: its first associated company (our adapter associates each task
 * and deal with exactly one) — the company id, or its `HUBSPOT_COMPANY_ID_PROPERTY` when the stage
 * keys accounts by a company property.
 */
async function accountOf(api: VendorApi, what: string, object: CrmObject): Promise<{ accountId: string } | { ignored: string }> {
  const companyId = object.associations?.companies?.results[0]?.id;
  if (!companyId) return { ignored: `the ${what} is associated with no company, so with no account` };
  const property = api.settings.HUBSPOT_COMPANY_ID_PROPERTY;
  if (!property) return { accountId: companyId };
  const company = await read(api, 'company', `/crm/v3/objects/companies/${encodeURIComponent(companyId)}?properties=${encodeURIComponent(property)}`);
  if ('ignored' in company) return company;
  const accountId = present(company.object.properties[property]);
  return accountId ? { accountId } : { ignored: `the ${what}'s company has no ${property}, so no account` };
}

/** One read, its answer classified: the object; ignored (gone, or not what the API documents); or `VendorApiUnavailable` (retry). */
async function read(api: VendorApi, what: string, pathAndQuery: string): Promise<{ object: CrmObject } | { ignored: string }> {
  const answer = await api.get(pathAndQuery);
  unavailable(answer, what);
  if (answer.status === 404) return { ignored: `the ${what} no longer exists in HubSpot (deleted since)` };
  if (answer.status < 200 || answer.status >= 300) return { ignored: `HubSpot answered HTTP ${answer.status} reading the ${what}` };
  const parsed = CrmObject.safeParse(answer.json);
  return parsed.success ? { object: parsed.data } : { ignored: `HubSpot's answer for the ${what} is not what its API documents (${describeIssues(parsed.error).join('; ')})` };
}

/** Throws `VendorApiUnavailable` for the answers that a later try can change: 429, 5xx, and a refused token. */
function unavailable(answer: VendorApiAnswer, what: string): void {
  const { status } = answer;
  if (status === 401 || status === 403) {
    throw new VendorApiUnavailable(
      `HubSpot refused the stage's token (HTTP ${status}) reading a ${what}: ops must fix HUBSPOT_ACCESS_TOKEN in the vendor secret (scopes crm.objects.companies.read, crm.objects.deals.read, crm.objects.contacts.read); HubSpot keeps retrying meanwhile`,
      300,
    );
  }
  if (status === 429) throw new VendorApiUnavailable(`HubSpot rate-limited the read of a ${what} (HTTP 429)`, retryAfterSeconds(answer.retryAfter) ?? 10);
  if (status >= 500) throw new VendorApiUnavailable(`HubSpot's API failed reading a ${what} (HTTP ${status})`, retryAfterSeconds(answer.retryAfter) ?? 30);
}

function retryAfterSeconds(header: string | undefined): number | undefined {
  return header && /^\d{1,5}$/.test(header.trim()) ? Math.max(1, Number(header.trim())) : undefined;
}

function domainEvent<T extends 'TaskCompleted' | 'ChurnRiskCreated' | 'TouchpointLogged'>(type: T, timestamp: string, data: unknown, event: HubSpotEvent, index: number): Outcome {
  const detail = DetailSchemas[type].safeParse(data);
  // HubSpot's record, not the sender's body, is at fault: the event names the fields, not their values.
  if (!detail.success) return { ignored: `the ${type} it would make is not valid (${describeIssues(detail.error, [index]).join('; ')}; HubSpot event ${event.eventId})` };
  return { event: { type, timestamp, data: detail.data } as DomainEventMessage };
}

/** A property's value, unless empty (HubSpot answers `null` or `""` for an unset property). */
function present(value: unknown): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  return trimmed ? trimmed : undefined;
}

/** HubSpot datetimes: ISO (`2026-11-26T07:20:00Z`, as the v3 API answers) or epoch milliseconds. */
function instant(value: unknown): string | undefined {
  const text = present(value);
  if (!text) return undefined;
  const time = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/** `map` with at most `limit` calls in flight, results in input order; the first rejection rejects. */
async function mapLimited<T, R>(items: readonly T[], limit: number, call: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await call(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
