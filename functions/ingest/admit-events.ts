import { guardFloods, type Guarded } from '../adapters/flood-guard.ts';
import type { Ledger } from '../adapters/ledger.ts';
import { sealMessage } from '../adapters/sealed.ts';
import type { DomainEventMessage } from '../contracts/index.ts';

/**
 * What the ingest does to a delivery's events before PutEvents, the Lambda and the sandbox alike: their
 * personal fields sealed in the ledger (functions/adapters/sealed.ts), then the flood guard
 * (functions/adapters/flood-guard.ts). Answers what goes on the bus, and the ids held.
 */
export async function admitEvents(ledger: Ledger, events: readonly DomainEventMessage[], eventsPerAccountPerHour: number, now: Date): Promise<Guarded> {
  // Sealed side by side (distinct items), kept in the delivery's order.
  const sealed = await Promise.all(events.map((event) => sealMessage(ledger, event, now)));
  return guardFloods(ledger, sealed, eventsPerAccountPerHour, now);
}
