import type { PutEventsRequestEntry, PutEventsResponse } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DomainEventMessage } from '../contracts/index.ts';

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

/** PutEvents takes at most 10 entries per call. */
export const MAX_ENTRIES_PER_CALL = 10;
const ATTEMPTS = 3;

/**
 * Puts every entry on the bus, 10 per call, and puts again the ones PutEvents refused (a partial
 * failure answers 200: only `FailedEntryCount` and each entry's `ErrorCode` tell), with a short
 * backoff. Resolves once all are on the bus; rejects, naming the error codes, when some still are not
 * after three attempts (the vendor then gets a 503 and sends the delivery again). `putEvents` is the
 * EventBridge client's PutEvents, which retries a call that fails as a whole (throttled, a 5xx) itself.
 */
export async function putAllEntries(entries: readonly BusEntry[], putEvents: (entries: BusEntry[]) => Promise<PutEventsResponse>, sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<void> {
  for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_CALL) {
    let pending = entries.slice(start, start + MAX_ENTRIES_PER_CALL);
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
