import { DetailSchemas, type DomainEventMessage } from '../../contracts/index.ts';
import { describeIssues, z } from '../../contracts/zod.ts';
import { VendorApiUnavailable, type VendorApi, type VendorApiAnswer } from '../vendor.ts';
import { accountPropertiesFromSetting, fieldOf, fullName, HubSpotOwner, isOwnerNamed, readCompanyValue } from './hubspot-accounts.ts';
import { accountUpdated, eventKeyOf, type EngagementKind, type HubSpotEvent, type HubSpotPending, type Outcome } from './hubspot-events.ts';

/**
 * Reading the objects HubSpot's events only name (the pipeline's `resolve` step for HubSpot): a task
 * completed, a deal created, a call, meeting or e-mail logged, each read from HubSpot's CRM v3 API
 * (`GET /crm/v3/objects/{type}/{id}?properties=…&associations=…`,
 * https://developers.hubspot.com/docs/guides/crm/using-object-apis) with the stage's private app
 * token, and turned into `TaskCompleted`, `ChurnRiskCreated` or `TouchpointLogged`; and a company whose
 * property change needs more than the event says (./hubspot.ts), into its `AccountUpdated`. HubSpot unreachable,
 * rate-limiting or refusing the token → `VendorApiUnavailable` (503: HubSpot retries); an object
 * deleted since → ignored.
 */

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

/** What each pending event comes to, read at most `READS_IN_PARALLEL` at a time, in the batch's order. */
export function readPending(pending: readonly HubSpotPending[], api: VendorApi): Promise<Outcome[]> {
  return mapLimited(pending, READS_IN_PARALLEL, (item) => resolveOne(item, api));
}

async function resolveOne(item: HubSpotPending, api: VendorApi): Promise<Outcome> {
  if (item.read === 'task') return taskCompleted(item, api);
  if (item.read === 'deal') return riskCreated(item, api);
  if (item.read === 'company') return companyChanged(item, api);
  return touchpointLogged(item, item.read, api);
}

/**
 * A mapped company property changed, and its field needs the company: the account id (a stage keying
 * accounts by a company property), the time zone a date is placed in, or, for a new owner, the owner's
 * name (`csmName`, unless a property feeds it). The value is the company's now, as the backfill reads it.
 */
async function companyChanged({ event, index }: HubSpotPending, api: VendorApi): Promise<Outcome> {
  const mapping = accountPropertiesFromSetting(api.settings.HUBSPOT_ACCOUNT_PROPERTIES);
  const property = event.propertyName ?? '';
  const field = fieldOf(mapping, property);
  if (!field) return { ignored: `company property ${JSON.stringify(property)} feeds no account field` };
  const idProperty = api.settings.HUBSPOT_COMPANY_ID_PROPERTY;
  const asked = [...new Set([property, mapping.timezone, idProperty].filter((name) => name !== undefined))];
  const company = await read(api, 'company', `/crm/v3/objects/companies/${event.objectId}?properties=${encodeURIComponent(asked.join(','))}`);
  if ('ignored' in company) return company;
  const values = company.object.properties;
  const accountId = idProperty ? present(values[idProperty]) : String(event.objectId);
  if (!accountId) return { ignored: `the company has no ${idProperty}, so no account` };
  const zone = mapping.timezone ? readCompanyValue('timezone', values[mapping.timezone]) : undefined;
  const value = readCompanyValue(field, values[property], zone && 'value' in zone ? String(zone.value) : undefined);
  if (!value) return { ignored: `company property ${property} is cleared in HubSpot now; the account keeps its ${field}` };
  // A value the account cannot take: sent as refused, so that the CSM is told which CRM field to correct.
  if ('problem' in value) return accountUpdated(event, index, accountId, {}, [{ field, problem: `HubSpot's company property ${property} is ${value.problem}` }]);
  const csmName = field === 'csmId' && isOwnerNamed(mapping, 'csmName') ? await ownerNameOf(api, String(value.value)) : undefined;
  return accountUpdated(event, index, accountId, { [field]: value.value, ...(csmName ? { csmName } : {}) });
}

/** `GET /crm/v3/owners/{ownerId}`: the owner's name; none for an owner HubSpot no longer has (deactivated, removed). */
async function ownerNameOf(api: VendorApi, ownerId: string): Promise<string | undefined> {
  const answer = await api.get(`/crm/v3/owners/${encodeURIComponent(ownerId)}`);
  unavailable(answer, 'owner');
  if (answer.status < 200 || answer.status >= 300) return undefined;
  const owner = HubSpotOwner.safeParse(answer.json);
  return owner.success ? fullName(owner.data.firstName, owner.data.lastName) : undefined;
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
