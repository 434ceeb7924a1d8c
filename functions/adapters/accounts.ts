import type { AccountPatch, AccountRecord, Settings } from '../contracts/index.ts';
import { assertCalendarCovers } from '../core/accounts/calendar-coverage.ts';
import { accountCompleteness } from '../core/accounts/completeness.ts';
import { mergeAccountUpdate, type MergedUpdate } from '../core/accounts/merge-update.ts';
import type { Ledger } from './ledger.ts';

/** What an update made of the account: the complete record, or the fields held so far (`pending`) and those still missing. */
export type AppliedAccountUpdate = { merged: MergedUpdate } & ({ status: 'complete'; account: AccountRecord } | { status: 'pending'; missing: string[] });

/**
 * Read, merge field by field (last writer wins by update time), validate, write. Fields for an
 * account the ledger does not know completely are kept, with their times, as a pending state that no
 * playbook sees, until the rest arrives and merges over it the same way. An update that changes
 * nothing newer writes nothing. Shared by whatever writes the account record (the CRM sync, a
 * lifecycle fact, a playbook setting a flag, the sandbox's import), so every write goes through the
 * same merge and the same optimistic concurrency. `seenAt`: now, kept as when the ledger first
 * learned of the account if this is its first write.
 */
export async function applyAccountUpdate(
  ledger: Ledger,
  settings: Settings,
  accountId: string,
  patch: AccountPatch,
  updatedAt: string,
  seenAt: Date,
): Promise<AppliedAccountUpdate> {
  const stored = await ledger.readAccountState(accountId);
  const merged = mergeAccountUpdate(stored, patch, updatedAt);
  const completeness = accountCompleteness(accountId, merged.record);
  const changed = merged.applied.length > 0;
  if (completeness.status === 'pending') {
    if (changed) await ledger.writePendingAccountState(accountId, { fields: merged.record, missing: completeness.missing }, merged.fieldTimes, stored.version, seenAt);
    return { status: 'pending', missing: completeness.missing, merged };
  }
  // The country's holidays matter once playbooks can read the account: checked when it is complete.
  assertCalendarCovers(completeness.account, settings.calendar);
  if (changed) await ledger.writeAccountState(accountId, completeness.account, merged.fieldTimes, stored.version, seenAt);
  return { status: 'complete', account: completeness.account, merged };
}
