import type { Ledger, MirrorAttribute } from './ledger.ts';
import type { ItemKey } from './table.ts';

/**
 * The ledger is written first; a vendor only mirrors it. Mirror an item once: when the item already
 * records what it became at the vendor (`mirrored`), nothing is sent again; otherwise `send` is called
 * (with the item's idempotency key, inside it) and its answer recorded on the item.
 *
 * A crash or a vendor outage between the ledger write and the record leaves the item unmarked, so
 * the next run (the Task state's Retry, a redelivery, a redrive) sends it again: the vendor's
 * idempotency (HubSpot's upsert on the ledger id) or, for Slack and SES, the small window between the
 * answer and the record, is what remains at-least-once. A status the vendor owns afterwards (a task
 * completed in the CRM, a deal moved) is never sent again once the item is marked.
 */
export async function mirrorOnce(
  ledger: Ledger,
  item: { key: ItemKey; mirrored: string | undefined },
  attribute: MirrorAttribute,
  send: () => Promise<string>,
): Promise<{ ref: string; sent: boolean }> {
  if (item.mirrored !== undefined) return { ref: item.mirrored, sent: false };
  const ref = await send();
  await ledger.recordMirror(item.key, attribute, ref);
  return { ref, sent: true };
}
