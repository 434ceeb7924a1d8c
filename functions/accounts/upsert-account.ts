import { applyAccountUpdate } from '../adapters/accounts.ts';
import { DetailSchemas, DetailType } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { accountFactOf } from '../core/accounts/account-facts.ts';
import type { RefusedFieldFollowUp } from '../core/accounts/checked-update.ts';
import { mergeTime } from '../core/accounts/update-time.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * What account-sync ends with: ids, field names and rules only (execution state never carries customer
 * data). `refused`, when the update sent fields the account could not take: each with the CSM's
 * follow-up (the flow files one `manual-follow-up` per field).
 */
export type UpsertAccountResult = ({ accountId: string; status: 'complete' } | { accountId: string; status: 'pending'; missing: string[] }) & { refused?: RefusedFieldFollowUp[] };

const { eventId, accountId, updatedAt } = DetailSchemas.AccountUpdated.shape;

/**
 * A CRM update as sent: its envelope checked here, its fields one by one when merged, so that one
 * refused field (a country the stage does not schedule in, an empty team lead replayed from before the
 * door refused it) does not drop the valid ones beside it.
 */
const AccountUpdatedAsSent = z.looseObject({ eventId, accountId, updatedAt });

/** Which field of the event gave the fact its time: what a log names when that time was ahead of the clock. */
function timeField(input: { detailType?: DetailType | undefined; detail: object }): string {
  if (input.detailType === DetailType.ContractSigned) return 'signedAt';
  if (input.detailType === DetailType.BillingStarted) return 'at';
  return 'updatedAt' in input.detail && input.detail.updatedAt !== undefined ? 'updatedAt' : 'time';
}

/**
 * Merge what an event says of an account into the record every playbook reads (core/accounts/account-facts.ts):
 * a CRM `AccountUpdated`, a `ContractSigned` (signature, quote, welcome call) or a `BillingStarted`,
 * each as of its own time (as of its arrival when that time is ahead of the clock:
 * core/accounts/update-time.ts). Each field is checked on its own: those the record cannot take are
 * refused and listed in the answer, the others applied. For an account the ledger does not know
 * completely, the fields are kept as a pending state and the answer says which required ones are
 * missing: acknowledged, not an alarm.
 */
export const upsertAccount = definePlaybookFunction({
  id: 'upsert-account',
  input: z.discriminatedUnion('detailType', [
    z.object({ detailType: z.literal(DetailType.ContractSigned), time: isoInstant(), detail: DetailSchemas.ContractSigned }),
    z.object({ detailType: z.literal(DetailType.BillingStarted), time: isoInstant(), detail: DetailSchemas.BillingStarted }),
    // Optional: executions started before account-sync took lifecycle facts pass no detail-type.
    z.object({ detailType: z.optional(z.literal(DetailType.AccountUpdated)), time: isoInstant(), detail: AccountUpdatedAsSent }),
  ]),
  async run(input, { ledger, settings, now, logger, metrics }): Promise<UpsertAccountResult> {
    const detailType = input.detailType ?? DetailType.AccountUpdated;
    const { accountId, eventId } = input.detail;
    const fact = accountFactOf(input);
    const time = mergeTime(fact.at, input.time, now());
    if (time.movedToArrival) {
      // The door refuses such a time (400); this one reached the bus another way (a replay, a scenario).
      metrics.addMetric('AccountUpdateTimeAhead', 'Count', 1);
      logger.warn('account fact stamped ahead of the clock: merged as of its arrival', { accountId, eventId, detailType, field: timeField(input) });
    }
    const applied = await applyAccountUpdate(ledger, settings, accountId, fact.patch, time.at, now());
    const { merged } = applied;
    // Skipped fields count late or redelivered updates: a steady rise means a sync out of order.
    metrics.addMetric('AccountFieldsApplied', 'Count', merged.applied.length);
    metrics.addMetric('AccountFieldsSkipped', 'Count', merged.skipped.length);
    metrics.addMetric('AccountFieldsRefused', 'Count', merged.refused.length);
    const refusedFields = merged.refused.map((refusal) => refusal.field);
    if (refusedFields.length > 0) logger.warn('account update: fields refused, the others applied', { accountId, eventId, detailType, refused: refusedFields });
    const refused = merged.refused.length > 0 ? { refused: merged.refused } : {};
    if (applied.status === 'pending') {
      metrics.addMetric('AccountPending', 'Count', 1);
      const fields = Object.keys(merged.record).sort();
      logger.info('account pending: the ledger does not know it completely yet', { accountId, eventId, detailType, fields, missing: applied.missing });
      return { accountId, status: 'pending', missing: applied.missing, ...refused };
    }
    logger.info('account update handled', { accountId, eventId, detailType, applied: merged.applied.length, skipped: merged.skipped.length });
    return { accountId, status: 'complete', ...refused };
  },
});
