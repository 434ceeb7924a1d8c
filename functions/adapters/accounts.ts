import { AccountRecord, parseContract, type AccountPatch, type Settings } from '../contracts/index.ts';
import { assertCalendarCovers } from '../core/accounts/calendar-coverage.ts';
import { mergeAccountUpdate, type MergedUpdate } from '../core/accounts/merge-update.ts';
import type { Ledger } from './ledger.ts';

/**
 * Read, merge field by field (last writer wins by update time), validate, write. A new account
 * needs a complete record; an update that changes nothing newer writes nothing. Shared by whatever
 * writes the account record (the CRM sync, a playbook setting a flag, the sandbox's import), so
 * every write goes through the same merge and the same optimistic concurrency.
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
