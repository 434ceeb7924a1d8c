import type { DispatchCall } from './dispatch/calls.ts';
import { DispatchQueue } from './dispatch/dispatch-queue.ts';
import type { Ledger, MirrorAttribute } from './ledger.ts';
import type { ItemKey } from './table.ts';

/**
 * The ledger is written first; a vendor only mirrors it, later. Mirror an item once: when the item
 * already records what it became at the vendor (`mirrored`: the CRM id, where Slack posted it, SES's
 * message id), nothing is queued; otherwise the call is queued as a dispatch of the item, once per item
 * and attribute, and the dispatch drain (functions/dispatch) makes it and records the answer on the item.
 *
 * So the step that wrote the item never waits for a vendor: a CRM, Slack or SES outage holds the
 * dispatch (retried for a day, then a dead letter with an alarm), not the playbook. A status the vendor
 * owns afterwards (a task completed in the CRM, a deal moved) is never sent again once the item is marked.
 */
export async function mirrorLater(
  ledger: Ledger,
  item: { key: ItemKey; mirrored: string | undefined },
  attribute: MirrorAttribute,
  call: DispatchCall,
  now: Date,
): Promise<{ mirrored: string | undefined; queued: boolean }> {
  if (item.mirrored !== undefined) return { mirrored: item.mirrored, queued: false };
  const { created } = await new DispatchQueue(ledger).queue(
    { id: `${item.key.sk}@${attribute}`, accountId: call.request.accountId, call, target: { key: item.key, attribute } },
    now,
  );
  return { mirrored: undefined, queued: created };
}

/**
 * Queue a call that mirrors no item (a company property in the CRM), once per its idempotency key:
 * a retried step finds it queued, or delivered, and queues nothing.
 */
export async function dispatchOnce(ledger: Ledger, call: DispatchCall, now: Date): Promise<{ queued: boolean }> {
  const { created } = await new DispatchQueue(ledger).queue({ id: call.request.idempotencyKey, accountId: call.request.accountId, call }, now);
  return { queued: created };
}
