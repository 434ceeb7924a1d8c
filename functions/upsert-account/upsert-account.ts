import type { Ledger } from '../adapters/ledger.ts';
import { AccountRecord, DetailSchemas, parseContract, type AccountPatch, type Settings } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { assertCalendarCovers } from '../core/accounts/calendar-coverage.ts';
import { mergeAccountUpdate, type MergedUpdate } from '../core/accounts/merge-update.ts';
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

/**
 * Read, merge field by field (last writer wins by update time), validate, write. A new account
 * needs a complete record; an update that changes nothing newer writes nothing.
 */
export async function applyAccountUpdate(
  ledger: Ledger,
  settings: Settings,
  accountId: string,
  patch: AccountPatch,
  updatedAt: string,
): Promise<{ account: AccountRecord; merged: MergedUpdate }> {
  const stored = await ledger.readAccountState(accountId);
  const merged = mergeAccountUpdate(stored, patch, updatedAt);
  const account = parseContract(AccountRecord, { ...merged.record, id: accountId }, `account ${accountId}`);
  assertCalendarCovers(account, settings.calendar);
  if (merged.applied.length > 0) await ledger.writeAccountState(accountId, account, merged.fieldTimes, stored.version);
  return { account, merged };
}
