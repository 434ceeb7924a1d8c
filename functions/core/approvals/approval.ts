import { ButtonAction, type ApprovalDecisionRequest, type ApprovalEdits, type ApprovalKind, type ApprovalOutcome, type MessageButton } from '../../contracts/index.ts';
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
  /** The e-mail put up for approval: its draft in the ledger (EMAIL#<emailId>), as prepare-email rendered it. */
  emailId: string;
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
  /** The CSM's rewrite of the draft, approved with the decision: what send-email applies. Never in an execution's state. */
  edits?: ApprovalEdits | undefined;
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

/** An e-mail's words, as rendered or as the CSM rewrote them. */
export interface EmailWords {
  subject: string;
  text: string;
}

/** The draft as the CSM approved it: their subject and text where they gave one. */
export function applyEdits<T extends EmailWords>(draft: T, edits: ApprovalEdits): T {
  return { ...draft, ...(edits.subject === undefined ? {} : { subject: edits.subject }), ...(edits.text === undefined ? {} : { text: edits.text }) };
}

/**
 * What an e-mail put up for approval may send: the draft with the CSM's edits applied, and who approved
 * it, once the approval says approved; nothing while it is pending, or once cancelled or expired (or
 * when there is no such approval).
 */
export function approvedVersion(
  draft: EmailWords,
  approval: Pick<ApprovalRecord, 'status' | 'outcome' | 'edits'> | undefined,
): (EmailWords & { approvedBy: string }) | undefined {
  if (approval?.status !== 'approved' || approval.outcome?.decision !== 'approved') return undefined;
  return { ...applyEdits({ subject: draft.subject, text: draft.text }, approval.edits ?? {}), approvedBy: approval.outcome.decidedBy };
}

/**
 * The CSM's direct message for an e-mail waiting for approval (Slack is the CSM's tool: the address and
 * the subject may go there, never into an execution's state), and its two buttons, ids only.
 */
export function approvalMessage(email: { template: string; to: string; subject: string }): string {
  return `An e-mail waits for your approval (${email.template.replaceAll('-', ' ')}) to ${email.to}: "${email.subject}". It is sent only if you approve it.`;
}

export function approvalButtons(accountId: string, approvalId: string): MessageButton[] {
  return [
    { action: ButtonAction.approveEmail, label: 'Approve and send', style: 'primary', value: { accountId, approvalId } },
    { action: ButtonAction.rejectEmail, label: 'Reject', style: 'danger', value: { accountId, approvalId } },
  ];
}

/**
 * What a parked execution is resumed with: the decision only, whatever else the record holds (an
 * approval recorded before the e-mail left the executions' state kept the e-mail in its outcome).
 */
export function callbackOutput(outcome: ApprovalOutcome): ApprovalOutcome {
  const { approvalId, decision, edited, decidedBy, decidedAt } = outcome;
  return { approvalId, decision, edited: edited === true, decidedBy, decidedAt };
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
      edited: Object.keys(edits).length > 0,
      decidedBy: request.decidedBy,
      decidedAt: formatLocalIso(now, record.timezone),
    };
    return { result: 'decided', record: { ...record, status: outcome.decision, outcome, ...(outcome.edited ? { edits } : {}) } };
  }
  if (record.status === 'expired') return { result: 'expired', record };
  const sameDecision =
    record.outcome !== undefined &&
    record.outcome.decision === (request.decision === 'approve' ? 'approved' : 'cancelled') &&
    sameEdits(record.edits ?? {}, request.edits ?? {});
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
  /** The e-mail as it would go out (the draft, the CSM's edits applied), when its draft was read: for the CSM's own tools. */
  email?: ApprovalEmail | undefined;
}

/** The draft an approval is about, as the CSM's tools show it. */
export interface ApprovalEmail extends EmailWords {
  to: string;
  language: string;
}

export function approvalView(record: ApprovalRecord, now: Date, draft?: ApprovalEmail): ApprovalView {
  const { waiters, ...rest } = record;
  return {
    ...rest,
    status: isExpired(record, now) ? 'expired' : record.status,
    waiting: Object.values(waiters).filter((waiter) => waiter.state === 'waiting').length,
    ...(draft ? { email: applyEdits({ to: draft.to, language: draft.language, subject: draft.subject, text: draft.text }, record.edits ?? {}) } : {}),
  };
}
