import { mergeAccountUpdate, winsOver, type AccountState, type MergedUpdate } from './merge-update.ts';
import { sieveAccountUpdate, type RefusedField } from './sieve-update.ts';

/**
 * A field the CRM must correct, as account-sync reports it: the `manual-follow-up` task its CSM gets
 * (`reason` makes the task's id, `details` its text). Field names and rules only, never a value: it is
 * the execution's output too.
 */
export interface RefusedFieldFollowUp extends RefusedField {
  reason: string;
  details: string;
}

export interface CheckedUpdate extends MergedUpdate {
  /** The fields refused that would otherwise have been applied, each with its follow-up. */
  refused: RefusedFieldFollowUp[];
}

/**
 * An update of the account, field by field: the fields the record can take are merged, newest first
 * (./merge-update.ts); the others are refused (./sieve-update.ts) and the account keeps what it had.
 * A refused field is reported only where its value would have won: a late update whose field a newer
 * one already set is skipped, as any late value is, whether or not it was valid.
 */
export function mergeCheckedUpdate(
  current: AccountState,
  fields: Readonly<Record<string, unknown>>,
  updatedAt: string,
  { countries, now }: { countries: readonly string[]; now: Date },
): CheckedUpdate {
  const sieved = sieveAccountUpdate(fields, current.record, countries);
  const merged = mergeAccountUpdate(current, sieved.patch, updatedAt, now);
  const at = Date.parse(updatedAt);
  const refused: RefusedFieldFollowUp[] = [];
  for (const refusal of sieved.refused) {
    const recordField = recordFieldOf(refusal.field);
    const setAt = current.fieldTimes[recordField];
    if (winsOver(setAt, at, now)) refused.push(refusedFieldFollowUp(refusal, { setAt, held: current.record[recordField] !== undefined }));
    else merged.skipped.push(refusal.field);
  }
  return { ...merged, refused };
}

/**
 * What the CSM is told of a field the CRM sent and the account could not take: which field to correct
 * in the CRM, and why. One task per account and field until that field is set again: the reason is the
 * field and when its value was last set, so the same refusal sent again (a redelivery, the CRM's next
 * sync of the same wrong value) finds the task already there, and a field wrong again after someone
 * corrected it gets a new one. `setAt`: when the account's value of the field was set; `held`: whether
 * it has one.
 */
export function refusedFieldFollowUp({ field, problem }: RefusedField, { setAt, held }: { setAt: string | undefined; held: boolean }): RefusedFieldFollowUp {
  const recordField = recordFieldOf(field);
  const kept = held ? `The account keeps the ${recordField} it had` : `The account still has no ${recordField}`;
  return {
    field,
    problem,
    reason: `refused-field:${recordField}:${setAt ?? 'never-set'}`,
    details: `The CRM's update of ${field} was refused (${problem}). ${kept}; the other fields of the update were applied. Correct ${recordField} in the CRM: the update that brings it sets it.`,
  };
}

/** The record's field a refusal is about: `removeAllContacts` is about the contacts. */
const recordFieldOf = (field: string): string => (field === 'removeAllContacts' ? 'contacts' : field);
