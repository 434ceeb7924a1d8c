import type { ApprovalDecisionRequest, ApprovalEdits, ApprovalKind, ApprovalOutcome, EmailProposal } from '../../contracts/index.ts';
import { formatLocalIso, type BusinessCalendar, type Locality } from '../calendar/business-time.ts';

/**
 * Approval mode, as pure rules: when an approval expires, what a decision does to it, and what the
 * waiting playbook receives. No clock and no I/O: callers pass `now` and persist what is returned.
 */

export type ApprovalStatus = 'pending' | 'approved' | 'cancelled' | 'expired';

/**
 * An execution parked on the approval: its current task token (a Lambda retry gets a new one and
 * replaces the old), and whether the decision reached it. Keyed by execution id, so a redelivered
 * event's second execution waits on the same approval and is resumed with the same decision.
 */
export interface ApprovalWaiter {
  token: string;
  since: string;
  /** `gone`: Step Functions no longer knows the token (the Task timed out, the execution ended). */
  state: 'waiting' | 'resumed' | 'gone';
}

export interface ApprovalRecord {
  id: string;
  accountId: string;
  playbook: string;
  kind: ApprovalKind;
  template: string;
  reason: string;
  proposal: EmailProposal;
  status: ApprovalStatus;
  /** The account's, to write every time of the approval in its offset. */
  timezone: string;
  requestedAt: string;
  expiresAt: string;
  /** The CSM's `email-approval` task pointing to it. */
  taskId: string;
  waiters: Record<string, ApprovalWaiter>;
  /** Once decided: what was (or will be) handed to every waiter. */
  outcome?: ApprovalOutcome | undefined;
  expiredAt?: string | undefined;
}

/** When an approval requested at `requestedAt` expires, and how long its Task may wait for it. */
export interface ApprovalWindow {
  expiresAt: Date;
  /** For the Task state's `TimeoutSecondsPath`: whole seconds, at least 1, never before `expiresAt`. */
  timeoutSeconds: number;
}

/**
 * The end of business hours (`closing`, account's time zone) `days` business days after the day the
 * request is due (today, or the next business day after hours): Monday 10:00 + 5 → next Monday 18:00;
 * Friday 19:00 + 5 → the Monday after next, 18:00; 0 → today's closing (the next business day's after hours).
 */
export function approvalExpiry(requestedAt: Date, where: Locality, days: number, closing: string, calendar: BusinessCalendar): Date {
  const dueDay = calendar.localDate(calendar.dueToday(requestedAt, where), where.timezone);
  return calendar.atLocalTime(calendar.addBusinessDays(dueDay, days, where.country), closing, where.timezone);
}

/**
 * The Task's timeout for an approval expiring at `expiresAt`, counted from `now` (just before the
 * Task starts, so it fires at or a little after the expiry: a decision is refused from `expiresAt` on,
 * and never reaches a Task that already gave up).
 */
export function approvalWindow(expiresAt: Date, now: Date): ApprovalWindow {
  return { expiresAt, timeoutSeconds: Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000)) };
}

export function isExpired(record: Pick<ApprovalRecord, 'status' | 'expiresAt'>, now: Date): boolean {
  return record.status === 'expired' || (record.status === 'pending' && now.getTime() >= Date.parse(record.expiresAt));
}

/** The proposal as the CSM approved it: their subject and text where they gave one. */
export function applyEdits(proposal: EmailProposal, edits: ApprovalEdits): EmailProposal {
  return { ...proposal, ...(edits.subject === undefined ? {} : { subject: edits.subject }), ...(edits.text === undefined ? {} : { text: edits.text }) };
}

export type DecisionResult =
  /** pending → approved or cancelled: resume every waiter with `record.outcome`. */
  | { result: 'decided'; record: ApprovalRecord }
  /** The same decision again while a waiter was not reached yet (Step Functions was unavailable): resume it now. */
  | { result: 'redeliver'; record: ApprovalRecord }
  /** Decided before (409): nothing is resumed twice. */
  | { result: 'already-decided'; record: ApprovalRecord }
  /** Expired (410): the playbook took, or is about to take, its expiry path. */
  | { result: 'expired'; record: ApprovalRecord };

/** What a CSM's decision does to the approval at `now`. */
export function decide(record: ApprovalRecord, request: ApprovalDecisionRequest, now: Date): DecisionResult {
  if (record.status === 'pending') {
    if (isExpired(record, now)) return { result: 'expired', record: { ...record, status: 'expired', expiredAt: formatLocalIso(now, record.timezone) } };
    const edits = request.decision === 'approve' ? (request.edits ?? {}) : {};
    const outcome: ApprovalOutcome = {
      approvalId: record.id,
      decision: request.decision === 'approve' ? 'approved' : 'cancelled',
      decidedBy: request.decidedBy,
      decidedAt: formatLocalIso(now, record.timezone),
      edits,
      proposal: applyEdits(record.proposal, edits),
    };
    return { result: 'decided', record: { ...record, status: outcome.decision, outcome } };
  }
  if (record.status === 'expired') return { result: 'expired', record };
  const sameDecision =
    record.outcome !== undefined &&
    record.outcome.decision === (request.decision === 'approve' ? 'approved' : 'cancelled') &&
    sameEdits(record.outcome.edits, request.edits ?? {});
  const unreached = Object.values(record.waiters).some((waiter) => waiter.state === 'waiting');
  return sameDecision && unreached ? { result: 'redeliver', record } : { result: 'already-decided', record };
}

function sameEdits(a: ApprovalEdits, b: ApprovalEdits): boolean {
  return a.subject === b.subject && a.text === b.text;
}

/** What may leave the ledger (the sandbox's `GET /api/approvals`, the report): never a task token. */
export interface ApprovalView extends Omit<ApprovalRecord, 'waiters'> {
  /** Executions parked on it. */
  waiting: number;
}

export function approvalView(record: ApprovalRecord, now: Date): ApprovalView {
  const { waiters, ...rest } = record;
  return {
    ...rest,
    status: isExpired(record, now) ? 'expired' : record.status,
    waiting: Object.values(waiters).filter((waiter) => waiter.state === 'waiting').length,
  };
}
