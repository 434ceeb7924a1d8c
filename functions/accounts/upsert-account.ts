import { applyAccountUpdate } from '../adapters/accounts.ts';
import { DetailSchemas, DetailType } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { accountFactOf } from '../core/accounts/account-facts.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** What account-sync ends with: ids and field names only (execution state never carries customer data). */
export type UpsertAccountResult = { accountId: string; status: 'complete' } | { accountId: string; status: 'pending'; missing: string[] };

/**
 * Merge what an event says of an account into the record every playbook reads (core/accounts/account-facts.ts):
 * a CRM `AccountUpdated`, a `ContractSigned` (signature, quote, welcome call) or a `BillingStarted`,
 * each as of its own time. For an account the ledger does not know completely, the fields are kept
 * as a pending state and the answer says which required ones are missing: acknowledged, not an alarm.
 */
export const upsertAccount = definePlaybookFunction({
  id: 'upsert-account',
  input: z.discriminatedUnion('detailType', [
    z.object({ detailType: z.literal(DetailType.ContractSigned), time: isoInstant(), detail: DetailSchemas.ContractSigned }),
    z.object({ detailType: z.literal(DetailType.BillingStarted), time: isoInstant(), detail: DetailSchemas.BillingStarted }),
    // Optional: executions started before account-sync took lifecycle facts pass no detail-type.
    z.object({ detailType: z.optional(z.literal(DetailType.AccountUpdated)), time: isoInstant(), detail: DetailSchemas.AccountUpdated }),
  ]),
  async run(input, { ledger, settings, now, logger, metrics }): Promise<UpsertAccountResult> {
    const detailType = input.detailType ?? DetailType.AccountUpdated;
    const { accountId, eventId } = input.detail;
    const fact = accountFactOf(input);
    const applied = await applyAccountUpdate(ledger, settings, accountId, fact.patch, fact.at, now());
    // Skipped fields count late or redelivered updates: a steady rise means a sync out of order.
    metrics.addMetric('AccountFieldsApplied', 'Count', applied.merged.applied.length);
    metrics.addMetric('AccountFieldsSkipped', 'Count', applied.merged.skipped.length);
    if (applied.status === 'pending') {
      metrics.addMetric('AccountPending', 'Count', 1);
      const fields = Object.keys(applied.merged.record).sort();
      logger.info('account pending: the ledger does not know it completely yet', { accountId, eventId, detailType, fields, missing: applied.missing });
      return { accountId, status: 'pending', missing: applied.missing };
    }
    logger.info('account update handled', { accountId, eventId, detailType, applied: applied.merged.applied.length, skipped: applied.merged.skipped.length });
    return { accountId, status: 'complete' };
  },
});
