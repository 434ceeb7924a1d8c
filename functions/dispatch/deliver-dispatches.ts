import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';
import { deliver, drainDue, type DeliveryOutcome } from '../adapters/dispatch/deliver.ts';

/** A DynamoDB stream record of a dispatch, as the event source mapping's filter lets through: its keys are enough (the item is read again). */
const StreamRecord = z.looseObject({
  eventName: z.optional(z.string()),
  dynamodb: z.looseObject({ Keys: z.object({ pk: z.object({ S: z.string() }), sk: z.object({ S: z.string() }) }) }),
});

/** The minute's sweep: an EventBridge Scheduler or rule event; its content does not matter. */
const Sweep = z.looseObject({ source: z.optional(z.string()), 'detail-type': z.optional(z.string()) });

/**
 * The dispatch drain: delivers to the CRM, Slack and SES what the playbooks' steps wrote in the ledger
 * for them (functions/adapters/mirror.ts), so that no step waits for a vendor.
 *
 * - A batch of the table's stream (new dispatches only, by the event source mapping's filter): each
 *   delivered at once, about a second after the step that queued it.
 * - The sweep, every minute: whatever is due (a failed delivery's retry, a dispatch whose stream batch
 *   failed), earliest first.
 *
 * A vendor failure never fails the invocation (it is recorded on the dispatch, tried again or dead);
 * an AWS failure does: the stream retries the batch, and the dispatch is still due for the sweep.
 */
export const deliverDispatches = definePlaybookFunction({
  id: 'deliver-dispatches',
  ports: ['crm', 'alerts', 'mailer'],
  input: z.union([z.object({ Records: z.array(StreamRecord) }), Sweep]),
  async run(event, deps): Promise<Partial<Record<DeliveryOutcome, number>>> {
    const counts: Partial<Record<DeliveryOutcome, number>> = {};
    if ('Records' in event && Array.isArray(event.Records)) {
      for (const record of event.Records as z.infer<typeof StreamRecord>[]) {
        const key = { pk: record.dynamodb.Keys.pk.S, sk: record.dynamodb.Keys.sk.S };
        if (!key.sk.startsWith('DISPATCH#')) continue;
        const outcome = await deliver(key, deps);
        counts[outcome] = (counts[outcome] ?? 0) + 1;
      }
      return counts;
    }
    return drainDue(deps);
  },
});
