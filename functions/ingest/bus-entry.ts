import type { PutEventsRequestEntry, PutEventsResponse } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEventMessage } from '../contracts/index.ts';
import { MAX_EVENT_BYTES, payloadBytes } from '../contracts/payload-limits.ts';

/** The PutEvents entry of a domain event: `source` cs-playbooks, `detail-type` its name. */
export function busEntry(message: DomainEventMessage, eventBusName: string) {
  return {
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: message.type,
    Detail: JSON.stringify(message.data),
    Time: new Date(message.timestamp),
  } satisfies PutEventsRequestEntry;
}

export type BusEntry = ReturnType<typeof busEntry>;

/** What EventBridge adds to an entry when it delivers it: the event's id, the account and the region. */
export interface DeliveryEnvelope {
  id: string;
  account: string;
  region: string;
}

/**
 * The event EventBridge delivers to a rule's target for `entry`: `version`, `id`, `detail-type`,
 * `source`, `account`, `time` (the entry's, in whole seconds), `region`, `resources` and the parsed
 * `detail`. A playbook's execution input is exactly this (its trigger passes the whole event).
 */
export function deliveredEvent(entry: Pick<BusEntry, 'DetailType' | 'Source' | 'Detail' | 'Time'>, envelope: DeliveryEnvelope) {
  return {
    version: '0',
    id: envelope.id,
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: envelope.account,
    time: entry.Time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: envelope.region,
    resources: [] as string[],
    detail: JSON.parse(entry.Detail) as unknown,
  };
}

/** The longest envelope AWS writes: a UUID, a 12-digit account, and a region code longer than any region's. */
const LONGEST_ENVELOPE: DeliveryEnvelope = { id: '00000000-0000-0000-0000-000000000000', account: '000000000000', region: 'x'.repeat(20) };

/** The size of the event EventBridge will deliver for `message`, in UTF-8 bytes: its execution input's. */
export function deliveredEventBytes(message: DomainEventMessage): number {
  return payloadBytes(deliveredEvent(busEntry(message, ''), LONGEST_ENVELOPE));
}

/**
 * Why `message` cannot become a playbook's execution input (undefined when it can): the event EventBridge
 * would deliver for it is over MAX_EVENT_BYTES (Step Functions' 256 KiB less the margin a playbook's
 * state needs). Sizes and the type only: the detail is the sender's.
 */
export function oversizedEvent(message: DomainEventMessage): string | undefined {
  const bytes = deliveredEventBytes(message);
  if (bytes <= MAX_EVENT_BYTES) return undefined;
  return `The ${message.type} event ${message.data.eventId.slice(0, 80)} would be ${bytes} bytes as EventBridge delivers it (envelope and detail): a playbook's execution input is at most 262144 bytes (Step Functions), of which the ingest keeps 16384 for what the playbook adds to it, so the limit is ${MAX_EVENT_BYTES} bytes`;
}

/**
 * The size PutEvents counts for an entry (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html):
 * 14 bytes for `Time`, then `Source`, `DetailType` and `Detail` in UTF-8 bytes (no resources here).
 */
export function putEventsEntryBytes(entry: BusEntry): number {
  return 14 + Buffer.byteLength(entry.Source, 'utf8') + Buffer.byteLength(entry.DetailType, 'utf8') + Buffer.byteLength(entry.Detail, 'utf8');
}

/** A PutEvents request's entries together: 256 KiB at most. */
export const MAX_PUT_EVENTS_BYTES = 262_144;

/** PutEvents takes at most 10 entries per call. */
export const MAX_ENTRIES_PER_CALL = 10;
const ATTEMPTS = 3;

/** The entries in calls of at most 10 entries and MAX_PUT_EVENTS_BYTES, in order. */
export function putEventsCalls(entries: readonly BusEntry[]): BusEntry[][] {
  const calls: BusEntry[][] = [];
  let current: BusEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = putEventsEntryBytes(entry);
    if (current.length > 0 && (current.length === MAX_ENTRIES_PER_CALL || bytes + size > MAX_PUT_EVENTS_BYTES)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

/**
 * Puts every entry on the bus, 10 per call (fewer when their sizes add up past 256 KiB), and puts again the ones PutEvents refused (a partial
 * failure answers 200: only `FailedEntryCount` and each entry's `ErrorCode` tell), with a short
 * backoff. Resolves once all are on the bus; rejects, naming the error codes, when some still are not
 * after three attempts (the vendor then gets a 503 and sends the delivery again). `putEvents` is the
 * EventBridge client's PutEvents, which retries a call that fails as a whole (throttled, a 5xx) itself.
 */
export async function putAllEntries(entries: readonly BusEntry[], putEvents: (entries: BusEntry[]) => Promise<PutEventsResponse>, sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<void> {
  for (const call of putEventsCalls(entries)) {
    let pending = call;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const answer = await putEvents(pending);
      if (!answer.FailedEntryCount) break;
      const coded = pending.map((entry, index) => ({ entry, code: answer.Entries?.[index]?.ErrorCode })).filter((result) => result.code !== undefined);
      // A count without per-entry codes: none can be told apart, so all are put again (the bus dedupes nothing, but playbooks do by eventId).
      const refused = coded.length > 0 ? coded : pending.map((entry) => ({ entry, code: 'unknown' }));
      if (attempt >= ATTEMPTS) throw new Error(`PutEvents refused ${refused.length} of the entries after ${ATTEMPTS} attempts: ${[...new Set(refused.map((r) => r.code))].join(', ')}`);
      pending = refused.map((result) => result.entry);
      await sleep(100 * 2 ** (attempt - 1));
    }
  }
}
