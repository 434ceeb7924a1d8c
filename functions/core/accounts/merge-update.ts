import type { AccountPatch } from '../../contracts/index.ts';
import { isAheadOfClock } from './update-time.ts';

/** When each field of the account record was last set, by the time of the update that set it. */
export type FieldTimes = Readonly<Record<string, string>>;

export interface AccountState {
  record: Readonly<Record<string, unknown>>;
  fieldTimes: FieldTimes;
}

export interface MergedUpdate extends AccountState {
  applied: string[];
  /** Fields a newer update already set: a late or redelivered update must not undo it. */
  skipped: string[];
}

/**
 * Apply a CRM update field by field, last writer wins by the update's own time (invariant 2:
 * vendors retry and deliver out of order). An update as recent as the stored value still applies,
 * so two updates in the same second keep their arrival order, and a redelivery rewrites the same
 * values. `now`: a value stamped ahead of it (see `winsOver`) never blocks an update.
 */
export function mergeAccountUpdate(current: AccountState, patch: AccountPatch, updatedAt: string, now?: Date): MergedUpdate {
  const at = Date.parse(updatedAt);
  const record: Record<string, unknown> = { ...current.record };
  const fieldTimes: Record<string, string> = { ...current.fieldTimes };
  const applied: string[] = [];
  const skipped: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!winsOver(fieldTimes[field], at, now)) {
      skipped.push(field);
      continue;
    }
    record[field] = value;
    fieldTimes[field] = updatedAt;
    applied.push(field);
  }
  if (dropsOwnerName(current, patch, { record, fieldTimes, applied }, at, now)) {
    // Applied only when there was a name to drop; the time is kept either way, so an older update
    // naming the previous owner cannot bring the name back.
    if (record.csmName !== undefined) applied.push('csmName');
    delete record.csmName;
    fieldTimes.csmName = updatedAt;
  }
  return { record, fieldTimes, applied, skipped };
}

/**
 * `csmName` names the owner `csmId` names: an update that changes the owner without naming the new
 * one (its name unreadable: the people directory or the CRM's owner lookup failed, the owner is gone)
 * drops the previous owner's name, as of the update, so that no task or e-mail names the wrong person
 * (they fall back to what they say when no name is known), and a late update naming the previous
 * owner cannot bring it back. A name set after the update (a property feeding csmName, delivered
 * first) is the new owner's and stays.
 */
function dropsOwnerName(current: AccountState, patch: AccountPatch, merged: Pick<MergedUpdate, 'record' | 'fieldTimes' | 'applied'>, at: number, now: Date | undefined): boolean {
  const previous = current.record.csmId;
  if (previous === undefined || patch.csmName !== undefined || !merged.applied.includes('csmId') || merged.record.csmId === previous) return false;
  return winsOver(merged.fieldTimes.csmName, at, now);
}

/**
 * Whether an update as of `at` (epoch ms) wins over a value set at `setAt`: no value yet, or one set
 * no later. A value stamped ahead of `now` by more than a clock's skew does not count as newer: it was
 * written before the ingest refused such times (core/accounts/update-time.ts), by an update that said
 * it was made in 2999, and would otherwise freeze its field for ever; the next update thaws it.
 */
export function winsOver(setAt: string | undefined, at: number, now?: Date): boolean {
  if (setAt === undefined) return true;
  if (now !== undefined && isAheadOfClock(setAt, now)) return true;
  return Date.parse(setAt) <= at;
}
