import { applyAccountUpdate } from '../adapters/accounts.ts';
import { DetailSchemas } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Apply a CRM `AccountUpdated` to the account record every playbook reads, as of the CRM's own
 * change time when it sends one, else the event's time (whole seconds on the bus).
 */
export const upsertAccount = definePlaybookFunction({
  id: 'upsert-account',
  input: z.object({ time: isoInstant(), detail: DetailSchemas.AccountUpdated }),
  async run({ time, detail }, { ledger, settings, logger, metrics }) {
    const { eventId, accountId, updatedAt, ...patch } = detail;
    const { account, merged } = await applyAccountUpdate(ledger, settings, accountId, patch, updatedAt ?? time);
    // Skipped fields count late or redelivered CRM updates: a steady rise means a sync out of order.
    metrics.addMetric('AccountFieldsApplied', 'Count', merged.applied.length);
    metrics.addMetric('AccountFieldsSkipped', 'Count', merged.skipped.length);
    logger.info('account update handled', { accountId, eventId, applied: merged.applied.length, skipped: merged.skipped.length });
    return { accountId: account.id };
  },
});
