import type { BusinessCalendar } from '../calendar/business-time.ts';
import { proofOf, statusOf, type CaseOpening, type PreChurnCase } from './case.ts';
import { preChurnWindow } from './window.ts';

/**
 * What a step that touches money (the RETENTION case, the plan's expiry, the finance refund request)
 * checks before it does anything, whatever its caller: the case was opened by a cancellation within
 * the window, it is lost, and its proof is on file. Re-derived from the case itself, with the stage's
 * current window, not taken from the playbook's input.
 */
export interface LossRuleFacts {
  caseStatus: PreChurnCase['status'] | 'not-opened';
  daysSinceSignature?: number | undefined;
  windowDays: number;
  proof: 'present' | 'missing';
}

export type LossRuleCheck =
  | { allowed: true; facts: LossRuleFacts; opened: CaseOpening; proofUrl: string }
  | { allowed: false; why: string; facts: LossRuleFacts };

export function checkLossRule(record: PreChurnCase | undefined, windowDays: number, calendar: Pick<BusinessCalendar, 'localDate'>): LossRuleCheck {
  const proofUrl = record ? proofOf(record) : undefined;
  const proof = proofUrl ? 'present' : 'missing';
  if (!record?.opened) return { allowed: false, why: 'no cancellation opened this case', facts: { caseStatus: 'not-opened', windowDays, proof } };
  const window = preChurnWindow({ signedAt: record.signedAt, requestedAt: record.opened.requestedAt, timezone: record.timezone, windowDays }, calendar);
  const facts: LossRuleFacts = { caseStatus: statusOf(record), daysSinceSignature: window.days, windowDays, proof };
  if (!window.within) return { allowed: false, why: `the cancellation came ${window.days} days after the signature, beyond the ${windowDays}-day window`, facts };
  if (record.outcome?.outcome !== 'lost') return { allowed: false, why: `the case is ${facts.caseStatus}, not lost`, facts };
  if (!proofUrl) return { allowed: false, why: 'no proof of the client’s request is on file', facts };
  return { allowed: true, facts, opened: record.opened, proofUrl };
}
