import type { AccountPatch } from '../../contracts/index.ts';

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
 * values.
 */
export function mergeAccountUpdate(current: AccountState, patch: AccountPatch, updatedAt: string): MergedUpdate {
  const at = Date.parse(updatedAt);
  const record: Record<string, unknown> = { ...current.record };
  const fieldTimes: Record<string, string> = { ...current.fieldTimes };
  const applied: string[] = [];
  const skipped: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const setAt = fieldTimes[field];
    if (setAt !== undefined && Date.parse(setAt) > at) {
      skipped.push(field);
      continue;
    }
    record[field] = value;
    fieldTimes[field] = updatedAt;
    applied.push(field);
  }
  return { record, fieldTimes, applied, skipped };
}
