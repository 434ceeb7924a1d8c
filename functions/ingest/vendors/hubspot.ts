import { createHash } from 'node:crypto';
import { DetailSchemas, type DomainEventMessage } from '../../contracts/index.ts';
import { COUNTRY_CODE } from '../../contracts/formats.ts';
import { ContractError, describeIssues, z } from '../../contracts/zod.ts';
import { hmac, sameSignature, timestampProblem, verifiedByAny } from '../signatures.ts';
import { WebhookRejected, type InboundRequest, type WebhookVendor } from '../vendor.ts';

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
 * Accounts are keyed by HubSpot company id (the CRM adapter's default, functions/adapters/hubspot/
 * hubspot-crm.ts), so a company's `objectId` is the account id.
 *
 * What is translated: a company's property change, for the properties of COMPANY_FIELDS, becomes an
 * `AccountUpdated` of that one field, as of `occurredAt`. Everything else is answered 2xx and listed
 * as ignored with its reason — in particular deals, tasks and engagements (calls, meetings, e-mails):
 * their events carry only the object's id, and which account, which of our tasks (`cs_playbooks_id`)
 * or which kind of risk they concern needs a read of the record from HubSpot's CRM API, which this
 * module does not do yet.
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

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';

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

export const hubspot: WebhookVendor = {
  id: 'hubspot',
  name: 'HubSpot',
  contentTypes: ['application/json'],
  verify(request, secrets, now) {
    const signature = request.headers[SIGNATURE_HEADER];
    const timestamp = request.headers[TIMESTAMP_HEADER];
    if (!signature) return { verified: false, error: `Missing ${SIGNATURE_HEADER} header (HubSpot's v3 signature)` };
    if (!timestamp) return { verified: false, error: `Missing ${TIMESTAMP_HEADER} header` };
    if (!/^\d{1,16}$/.test(timestamp)) return { verified: false, error: `${TIMESTAMP_HEADER} is not a time in milliseconds` };
    const problem = timestampProblem(Number(timestamp), now);
    if (problem) return { verified: false, error: problem };
    return verifiedByAny(secrets, (secret) => sameSignature(signatureV3(secret, request, timestamp), signature));
  },
  translate(request) {
    const parsed = Batch.safeParse(JSON.parse(request.rawBody.toString('utf8')));
    if (!parsed.success) throw new WebhookRejected('HubSpot webhook body is not an array of 1 to 100 events as documented', describeIssues(parsed.error));
    const events: DomainEventMessage[] = [];
    const ignored: string[] = [];
    parsed.data.forEach((event, index) => {
      const outcome = translateEvent(event, index);
      if ('event' in outcome) events.push(outcome.event);
      else ignored.push(`event ${event.eventId} (${event.subscriptionType}): ${outcome.ignored}`);
    });
    return { deliveryId: deliveryIdOf(parsed.data), events, ...(ignored.length > 0 ? { ignored } : {}) };
  },
};

/**
 * HubSpot sends no delivery id: a retry resends the batch's events with the same `eventId`s (and a
 * higher `attemptNumber`), so the batch is named by a digest of its sorted event ids.
 */
export function deliveryIdOf(events: readonly Pick<HubSpotEvent, 'eventId'>[]): string {
  const ids = events.map((event) => String(event.eventId)).sort();
  return `events-${createHash('sha256').update(ids.join(',')).digest('hex')}`;
}

type Outcome = { event: DomainEventMessage } | { ignored: string };

/** What one event means for the playbooks, or why it means nothing to them. */
function translateEvent(event: HubSpotEvent, index: number): Outcome {
  const [objectType, change] = subscriptionOf(event);
  if (objectType === 'company' && change === 'propertyChange') return companyPropertyChange(event, index);
  if (objectType === 'company') return { ignored: 'only property changes of a company update the account' };
  if (objectType === 'deal' || objectType === 'task' || objectType === 'call' || objectType === 'meeting' || objectType === 'email') {
    return { ignored: `a ${objectType} event carries only the object's id; reading the ${objectType} from HubSpot's CRM API is not supported yet` };
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
  const detail = DetailSchemas.AccountUpdated.safeParse({ eventId: `hubspot:${event.eventId}`, accountId: String(event.objectId), [field]: value, updatedAt: at });
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
