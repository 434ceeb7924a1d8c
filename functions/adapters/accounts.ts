import type { AccountRecord, Settings } from '../contracts/index.ts';
import { assertCalendarCovers } from '../core/accounts/calendar-coverage.ts';
import { mergeCheckedUpdate, type CheckedUpdate } from '../core/accounts/checked-update.ts';
import { accountCompleteness } from '../core/accounts/completeness.ts';
import type { Ledger } from './ledger.ts';

/**
 * What an update made of the account: the complete record, or the fields held so far (`pending`) and
 * those still missing; `merged.refused`, the fields it could not set, each with the CSM's follow-up.
 */
export type AppliedAccountUpdate = { merged: CheckedUpdate } & ({ status: 'complete'; account: AccountRecord } | { status: 'pending'; missing: string[] });

/**
 * Read, check each field (a refused one is left out and reported, the others still apply), merge field
 * by field (last writer wins by update time), write. Fields for an account the ledger does not know
 * completely are kept, with their times, as a pending state that no playbook sees, until the rest
 * arrives and merges over it the same way. An update that changes nothing newer writes nothing. Shared
 * by whatever writes the account record (the CRM sync, a lifecycle fact, a playbook setting a flag, the
 * sandbox's import), so every write goes through the same checks, the same merge and the same
 * optimistic concurrency. `fields`: what the update sets, as sent. `seenAt`: now, kept as when the
 * ledger first learned of the account if this is its first write.
 */
export async function applyAccountUpdate(
  ledger: Ledger,
  settings: Settings,
  accountId: string,
  fields: Readonly<Record<string, unknown>>,
  updatedAt: string,
  seenAt: Date,
): Promise<AppliedAccountUpdate> {
  const stored = await ledger.readAccountState(accountId);
  const merged = mergeCheckedUpdate(stored, fields, updatedAt, { countries: settings.calendar.countries, now: seenAt });
  const completeness = accountCompleteness(accountId, merged.record);
  const changed = merged.applied.length > 0;
  if (completeness.status === 'pending') {
    if (changed) await ledger.writePendingAccountState(accountId, { fields: merged.record, missing: completeness.missing }, merged.fieldTimes, stored.version, seenAt);
    return { status: 'pending', missing: completeness.missing, merged };
  }
  // The country's holidays matter once playbooks can read the account. An update's country was
  // checked with its fields; this is for a stored one the stage's settings no longer list.
  assertCalendarCovers(completeness.account, settings.calendar);
  if (changed) await ledger.writeAccountState(accountId, completeness.account, merged.fieldTimes, stored.version, seenAt);
  return { status: 'complete', account: completeness.account, merged };
}
