import { type DomainEventMessage } from '../../contracts/index.ts';
import { describeIssues } from '../../contracts/zod.ts';
import { AHEAD_OF_CLOCK, isAheadOfClock } from '../../core/accounts/update-time.ts';
import { hmac, verifyTimestamped } from '../signatures.ts';
import { WebhookRejected, type InboundRequest, type Resolution, type VendorSettings, type WebhookVendor } from '../vendor.ts';
import { accountPropertiesFromSetting, fieldOf, isInstantField, isOwnerNamed, readCompanyValue } from './hubspot-accounts.ts';
import { accountUpdated, Batch, deliveryIdOf, label, type HubSpotEvent, type HubSpotPending, type Outcome, type ReadKind } from './hubspot-events.ts';
import { readPending } from './hubspot-reads.ts';

export { deliveryIdOf } from './hubspot-events.ts';

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
 * company property (`HUBSPOT_COMPANY_ID_PROPERTY`), `resolve` reads it from the (associated) company.
 *
 * What `translate` maps alone: a company's property change, for a property the stage's mapping
 * (`HUBSPOT_ACCOUNT_PROPERTIES` over the defaults of ./hubspot-accounts.ts) says feeds a field,
 * becomes an `AccountUpdated` of that one field, as of `occurredAt`, its value read as the backfill
 * reads it. It needs a read of the company when the stage keys accounts by a company property, for a
 * date (placed in the account's time zone, a company property too), and for a new owner (`csmId`,
 * whose name is `csmName` unless a property feeds that).
 *
 * What it leaves `pending` for `resolve`, because HubSpot's events carry only the object's id (HubSpot's
 * own advice: the webhook notifies, the receiver reads the record): a task's `hs_task_status` becoming
 * `COMPLETED` (→ `TaskCompleted` of our ledger's task, whose id our CRM adapter wrote in the task's
 * `cs_playbooks_id`), a deal's creation (→ `ChurnRiskCreated` when it is in the retention pipeline and
 * was not opened by cs-playbooks itself), and a call's, meeting's or e-mail's creation (→
 * `TouchpointLogged`): those reads are ./hubspot-reads.ts. Everything else is answered 2xx and listed
 * as ignored with its reason.
 */

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

export const hubspot: WebhookVendor<HubSpotPending> = {
  id: 'hubspot',
  name: 'HubSpot',
  contentTypes: ['application/json'],
  produces: ['AccountUpdated', 'ChurnRiskCreated', 'TouchpointLogged', 'TaskCompleted'],
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
  translate(request, { settings = {}, now }) {
    const parsed = Batch.safeParse(JSON.parse(request.rawBody.toString('utf8')));
    if (!parsed.success) throw new WebhookRejected('HubSpot webhook body is not an array of 1 to 100 events as documented', describeIssues(parsed.error));
    const events: DomainEventMessage[] = [];
    const ignored: string[] = [];
    const pending: HubSpotPending[] = [];
    parsed.data.forEach((event, index) => {
      const outcome = translateEvent(event, index, settings, now);
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
    const outcomes = await readPending(pending, api);
    const resolution: Resolution = { events: [], ignored: [] };
    outcomes.forEach((outcome, i) => {
      if ('event' in outcome) resolution.events.push(outcome.event);
      else resolution.ignored!.push(`${label(pending[i]!.event)}: ${outcome.ignored}`);
    });
    return resolution;
  },
};

/** What one event means for the playbooks, or which read would say, or why it means nothing to them. */
function translateEvent(event: HubSpotEvent, index: number, settings: VendorSettings, now: Date): Outcome | { read: ReadKind } {
  const [objectType, change] = subscriptionOf(event);
  if (objectType === 'company' && change === 'propertyChange') return companyPropertyChange(event, index, settings, now);
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

/**
 * A mapped company property changed: that field of the account, now or after a read of the company.
 * Its `occurredAt` becomes the update's `updatedAt`: one ahead of our clock (core/accounts/update-time.ts)
 * refuses the delivery (400, naming the event's field), as `/webhooks/events` refuses such an update.
 */
function companyPropertyChange(event: HubSpotEvent, index: number, settings: VendorSettings, now: Date): Outcome | { read: ReadKind } {
  const mapping = accountPropertiesFromSetting(settings.HUBSPOT_ACCOUNT_PROPERTIES);
  const property = event.propertyName ?? '';
  const field = fieldOf(mapping, property);
  if (!field) return { ignored: `company property ${JSON.stringify(property)} feeds no account field` };
  if (isAheadOfClock(event.occurredAt, now)) throw new WebhookRejected('HubSpot webhook body has a company change stamped in the future', [`[${index}].occurredAt: ${AHEAD_OF_CLOCK}`]);
  // The account record has no "unknown" for its fields: a cleared value keeps the last known one.
  if ((event.propertyValue ?? '').trim() === '') return { ignored: `company property ${property} was cleared; the account keeps its ${field}` };
  const needsCompany = settings.HUBSPOT_COMPANY_ID_PROPERTY !== undefined || isInstantField(field) || (field === 'csmId' && isOwnerNamed(mapping, 'csmName'));
  if (needsCompany) return { read: 'company' };
  const value = readCompanyValue(field, event.propertyValue)!;
  // A value the account cannot take: sent as refused, so that the CSM is told which CRM field to correct.
  if ('problem' in value) return accountUpdated(event, index, String(event.objectId), {}, [{ field, problem: `HubSpot's company property ${property} is ${value.problem}` }]);
  return accountUpdated(event, index, String(event.objectId), { [field]: value.value });
}
