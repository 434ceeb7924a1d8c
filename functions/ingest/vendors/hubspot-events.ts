import { createHash } from 'node:crypto';
import { DetailSchemas, type AccountPatch, type DomainEventMessage } from '../../contracts/index.ts';
import { describeIssues, formatPath, z } from '../../contracts/zod.ts';

/**
 * HubSpot's webhook events as its Webhooks API documents them (a batch of up to 100), what names one
 * (HubSpot gives no delivery id), and what the translation (./hubspot.ts) and the reads
 * (./hubspot-reads.ts) share.
 */

const objectId = () => z.int().check(z.gte(0));

/** One event of the batch; fields HubSpot adds (`changeFlag`, `sourceId`, `isSensitive`, …) are read past. */
export const HubSpotEvent = z.object({
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
export type HubSpotEvent = z.infer<typeof HubSpotEvent>;

export const Batch = z.array(HubSpotEvent).check(z.minLength(1), z.maxLength(100));

/** What only a read of HubSpot's CRM API can turn into an event: the event, and the object to read. */
export interface HubSpotPending {
  event: HubSpotEvent;
  index: number;
  read: ReadKind;
}
export type ReadKind = 'task' | 'deal' | 'company' | EngagementKind;
export type EngagementKind = 'call' | 'meeting' | 'email';

/** How a reason names an event: its id and subscription type (never a value). */
export const label = (event: HubSpotEvent) => `event ${event.eventId} (${event.subscriptionType})`;

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

/** What one event comes to: a domain event, or why it means nothing to the playbooks. */
export type Outcome = { event: DomainEventMessage } | { ignored: string };

/**
 * A company's property change as an `AccountUpdated` of `fields`, as of the change (`occurredAt`). A
 * field the contract refuses (an amount past its bound) is not sent but named in `crmRefused` with why
 * (never its value), so that account-sync tells the CSM which CRM field to correct; the others are sent.
 * Not a 400: one bad value must not make HubSpot retry, then drop, the whole batch.
 */
export function accountUpdated(event: HubSpotEvent, index: number, accountId: string, fields: AccountPatch, crmRefused: readonly { field: string; problem: string }[] = []): Outcome {
  const at = new Date(event.occurredAt).toISOString();
  const envelope = { eventId: `hubspot:${eventKeyOf(event)}`, accountId, updatedAt: at };
  const parsed = DetailSchemas.AccountUpdated.safeParse({ ...envelope, ...fields, ...(crmRefused.length > 0 ? { crmRefused } : {}) });
  if (parsed.success) return { event: { type: 'AccountUpdated', timestamp: at, data: parsed.data } };
  // The fields at fault, refused one by one with the contract's words; the rest sent.
  const faulty = new Map<string, string[]>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    const within = formatPath(issue.path.slice(1));
    if (Object.hasOwn(fields, field)) faulty.set(field, [...(faulty.get(field) ?? []), within ? `${within}: ${issue.message}` : issue.message]);
  }
  const kept = Object.fromEntries(Object.entries(fields).filter(([field]) => !faulty.has(field)));
  const refused = [...crmRefused, ...[...faulty].map(([field, problems]) => ({ field, problem: problems.join('; ') }))];
  const retried = DetailSchemas.AccountUpdated.safeParse({ ...envelope, ...kept, ...(refused.length > 0 ? { crmRefused: refused } : {}) });
  if (faulty.size === 0 || !retried.success) return { ignored: `the AccountUpdated it would make is not valid (${describeIssues(parsed.error, [index]).join('; ')})` };
  return { event: { type: 'AccountUpdated', timestamp: at, data: retried.data } };
}
