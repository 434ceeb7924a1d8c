import type { DomainEventMessage } from '../contracts/index.ts';
import { admission, floodEventId, floodWindow, isGuarded } from '../core/flood/flood-guard.ts';
import type { Ledger } from './ledger.ts';

/** How long a window's counter is kept: past its hour, it only has to outlive a late redelivery. */
const COUNTER_DAYS = 2;

/** What the guard made of a batch: what goes on the bus (the events it let through, and a flood's alert event), and the ids it held. */
export interface Guarded {
  publish: DomainEventMessage[];
  held: string[];
}

/**
 * The flood guard at the door (functions/core/flood): each guarded event counted in its account's
 * window; past `limit`, held in the ledger instead of published, the first held raising the
 * `AccountFlooded` event the alert comes from (each held one raises it again with the window's id: the
 * alert is one per account and window). The counter counts deliveries, not distinct events: a vendor's
 * redelivery of a delivery already published never gets here (the ingest's idempotency).
 */
export async function guardFloods(ledger: Ledger, messages: readonly DomainEventMessage[], limit: number, now: Date): Promise<Guarded> {
  const guarded: Guarded = { publish: [], held: [] };
  const window = floodWindow(now);
  const expiresAt = Math.floor(Date.parse(window) / 1000) + 3600 + COUNTER_DAYS * 86_400;
  for (const message of messages) {
    if (!isGuarded(message.type)) {
      guarded.publish.push(message);
      continue;
    }
    const { accountId } = message.data;
    const count = await ledger.countGuardedEvent(accountId, window, expiresAt);
    if (admission(count, limit) === 'publish') {
      guarded.publish.push(message);
      continue;
    }
    await ledger.holdEvent(accountId, message, now.toISOString(), `${window}#${String(count).padStart(6, '0')}`);
    guarded.held.push(message.data.eventId);
    guarded.publish.push({
      type: 'AccountFlooded',
      timestamp: now.toISOString(),
      data: { eventId: floodEventId(accountId, window), accountId, windowStart: window, limit, heldType: message.type, at: now.toISOString() },
    });
  }
  return guarded;
}

/** A held event as `playbooks held` lists it: ids, type and when, never its content. */
export interface HeldEvent {
  eventId: string;
  detailType: string;
  heldAt: string;
}

/** The events the flood guard holds for an account, in the order they came. */
export async function heldEventsOf(ledger: Ledger, accountId: string): Promise<HeldEvent[]> {
  return (await ledger.heldEvents(accountId)).map(({ message, heldAt }) => ({ eventId: message.data.eventId, detailType: message.type, heldAt }));
}

/**
 * Put an account's held events on the bus (`publish`, past the guard), oldest first, each forgotten
 * once it is there: a release that fails half-way releases the rest when run again. Answers the ids released.
 */
export async function releaseHeldEvents(ledger: Ledger, accountId: string, publish: (message: DomainEventMessage) => Promise<unknown>): Promise<string[]> {
  const released: string[] = [];
  for (const { message } of await ledger.heldEvents(accountId)) {
    await publish(message);
    await ledger.releaseHeld(accountId, message.data.eventId);
    released.push(message.data.eventId);
  }
  return released;
}
