import type { PreChurnRole } from './owner.ts';

/**
 * A pre-churn case (seed 001): a cancellation within the window of a contract, the owner's attempt to
 * save the client, its outcome, and what the loss set off. Pure rules on one record: the ledger keeps
 * it as one item written with optimistic concurrency, so the cancellation's execution, the executions
 * parked on the outcome and the outcome's deliveries meet on it in one order, whatever their arrival.
 */

export type SaveOutcomeKind = 'saved' | 'lost';

/** A `SaveAttemptConcluded` as the case keeps it. */
export interface SaveOutcome {
  eventId: string;
  outcome: SaveOutcomeKind;
  /** The screenshot of the client's written request (e-mail or SMS; seed 001: no termination letter). */
  proofUrl?: string | undefined;
  at: string;
  recordedAt: string;
}

/**
 * `open`: no outcome yet; `saved`; `lost` (with proof: the RETENTION case, the plan expiry and the
 * refund follow); `awaiting-proof`: lost, but nothing proves the client asked (nothing else happens).
 */
export type PreChurnStatus = 'open' | 'saved' | 'lost' | 'awaiting-proof';

/** What an execution waits for the outcome in: the save itself, after the team lead's escalation, or for the proof. */
export type WaitPhase = 'save' | 'late' | 'proof';

/**
 * An execution parked on the case's outcome (`lambda:invoke.waitForTaskToken`): its current token (a
 * retried Lambda replaces it), and the outcome it already acted on (`handled`, the event id; empty:
 * none), so that only a newer outcome resumes it.
 */
export interface PreChurnWaiter {
  token: string;
  since: string;
  handled: string;
  /** `gone`: Step Functions no longer knows the token (the Task timed out, the execution ended). */
  state: 'waiting' | 'resumed' | 'gone';
}

/** The cancellation that opened the case, and who owns it. */
export interface CaseOpening {
  eventId: string;
  requestedAt: string;
  channel: string;
  /** A proof the cancellation itself carried (the client's e-mail or SMS), if any. */
  proofUrl?: string | undefined;
  openedAt: string;
  /** Local days from the signature to the request, and the window it was checked against. */
  days: number;
  windowDays: number;
  ownerRole: PreChurnRole;
  /** The person (or the CSM standing in, when the account names nobody in the role). */
  owner: string;
  informedRole?: PreChurnRole | undefined;
  informed?: string | undefined;
  /** `saveTimeoutDays` business days after the opening, at the end of business hours: then the team lead. */
  saveDeadline: string;
}

/** seed 001: "une case RETENTION avec pour origine SALES PROCESS", lost, the proof attached. */
export interface RetentionCase {
  type: 'RETENTION';
  /** What tells a pre-churn from a churn in the CRM's reports (seed 001: "cette origine est très importante"). */
  origin: 'SALES_PROCESS';
  status: 'lost';
  proofUrl: string;
  recordedAt: string;
  /** The account-local date the nightly sync churns the account: the day after the loss was recorded. */
  planExpiresOn: string;
  /** The CRM record it was mirrored to, once the CRM accepted it. */
  crmId?: string | undefined;
  /** When `planExpiresOn` was sent to the CRM: it is sent once. */
  planExpirySentAt?: string | undefined;
}

export interface PreChurnCase {
  id: string;
  accountId: string;
  /** The contract's signature: with the account, what the case is about (its id derives from both). */
  signedAt: string;
  timezone: string;
  status: PreChurnStatus;
  /** Absent while only an outcome arrived (delivered before the cancellation): the case opens with it. */
  opened?: CaseOpening | undefined;
  outcome?: SaveOutcome | undefined;
  /** When each wait of the case's execution ends (set once per phase, so a retried plan waits as long). */
  waits: Partial<Record<WaitPhase, string>>;
  waiters: Record<string, PreChurnWaiter>;
  /** When the playbook stopped waiting for the outcome (its last wait ended with none it could act on). */
  waitingEnded?: string | undefined;
  retention?: RetentionCase | undefined;
}

/** A record for a contract nothing has happened to yet. */
export function newCase(parts: Pick<PreChurnCase, 'id' | 'accountId' | 'signedAt' | 'timezone'>): PreChurnCase {
  return { ...parts, status: 'open', waits: {}, waiters: {} };
}

/** The proof of the client's request: the outcome's, else the one the cancellation carried. */
export function proofOf(record: Pick<PreChurnCase, 'outcome' | 'opened'>): string | undefined {
  return record.outcome?.proofUrl ?? record.opened?.proofUrl;
}

export function statusOf(record: Pick<PreChurnCase, 'outcome' | 'opened'>): PreChurnStatus {
  if (!record.outcome) return 'open';
  if (record.outcome.outcome === 'saved') return 'saved';
  return proofOf(record) ? 'lost' : 'awaiting-proof';
}

/** Saved, or lost with its proof: nothing changes the outcome any more. */
export function isConcluded(record: Pick<PreChurnCase, 'outcome' | 'opened'>): boolean {
  const status = statusOf(record);
  return status === 'saved' || status === 'lost';
}

/** The case with its status derived again: every write goes through here. */
export function withStatus(record: PreChurnCase): PreChurnCase {
  return { ...record, status: statusOf(record) };
}

export type OutcomeRecording =
  /** A new outcome: every execution parked on the case is resumed with it. */
  | { result: 'recorded'; record: PreChurnCase }
  /** The same event again (a redelivery, a retried step): a waiter it has not reached yet still gets it. */
  | { result: 'repeated'; record: PreChurnCase }
  /** Changes nothing: the case is concluded that way already, or it is another "lost" still without proof. */
  | { result: 'ignored'; record: PreChurnCase; why: 'concluded' | 'still-without-proof' }
  /** The case is concluded one way and this outcome says the other: for a person to settle, never automated. */
  | { result: 'conflicting'; record: PreChurnCase };

/**
 * The first conclusive outcome wins. A "lost" without proof is recorded but does not conclude the case:
 * the proof may follow (a later "lost" with it), or the client be saved after all. Once concluded, a
 * repeat is ignored, and the opposite outcome is a conflict, left to a person: a saved client is not
 * refunded on a second message, and a refund is not unsaid by one.
 */
export function recordOutcome(record: PreChurnCase, outcome: SaveOutcome): OutcomeRecording {
  if (record.outcome?.eventId === outcome.eventId) return { result: 'repeated', record };
  if (isConcluded(record)) {
    return record.outcome!.outcome === outcome.outcome ? { result: 'ignored', record, why: 'concluded' } : { result: 'conflicting', record };
  }
  const next = withStatus({ ...record, outcome });
  if (record.outcome && !isConcluded(next)) return { result: 'ignored', record, why: 'still-without-proof' };
  return { result: 'recorded', record: next };
}

/** Executions parked on the case that the current outcome has not reached. */
export function waitersToResume(record: PreChurnCase): string[] {
  const outcome = record.outcome;
  if (!outcome) return [];
  return Object.entries(record.waiters)
    .filter(([, waiter]) => waiter.state === 'waiting' && waiter.handled !== outcome.eventId)
    .map(([executionId]) => executionId);
}

/** What a parked execution receives: what its Choice branches on (`status`), and the event it acted on (`eventId`). */
export interface OutcomeView {
  caseId: string;
  status: PreChurnStatus;
  outcome: SaveOutcomeKind;
  eventId: string;
  at: string;
  proofUrl?: string | undefined;
}

export function outcomeView(record: PreChurnCase): OutcomeView {
  const outcome = record.outcome;
  if (!outcome) throw new Error(`Case ${record.id} has no outcome to hand over`);
  const proofUrl = outcome.outcome === 'lost' ? proofOf(record) : undefined;
  return { caseId: record.id, status: record.status, outcome: outcome.outcome, eventId: outcome.eventId, at: outcome.at, ...(proofUrl ? { proofUrl } : {}) };
}

/**
 * Park `executionId` on the case with its fresh token. `resume` when an outcome it has not acted on is
 * recorded already (delivered before the wait started): the caller resumes it at once.
 */
export function park(record: PreChurnCase, waiter: { executionId: string; token: string; handled: string; since: string }): { record: PreChurnCase; resume: boolean } {
  if (!record.opened) throw new Error(`Case ${record.id} is not open: nothing may wait on it`);
  const resume = record.outcome !== undefined && record.outcome.eventId !== waiter.handled;
  const parked: PreChurnWaiter = { token: waiter.token, since: waiter.since, handled: waiter.handled, state: resume ? 'resumed' : 'waiting' };
  return { record: { ...record, waiters: { ...record.waiters, [waiter.executionId]: parked } }, resume };
}

/**
 * The execution's last wait ended: it stops waiting, unless an outcome it has not acted on was recorded
 * meanwhile (in the instant between its Task's timeout and this step), which it then acts on. One write
 * on the case, so an outcome recorded at the same moment is either seen here or sees `waitingEnded`.
 */
export function stopWaiting(record: PreChurnCase, handled: string, at: string): { record: PreChurnCase; stopped: boolean } {
  if (record.outcome !== undefined && record.outcome.eventId !== handled) return { record, stopped: false };
  return { record: { ...record, waitingEnded: record.waitingEnded ?? at }, stopped: true };
}

/** How long after its last wait ended a case counts as unattended when its execution never said it stopped (it failed). */
export const UNATTENDED_AFTER_MS = 60 * 60 * 1000;

/**
 * No execution will act on a new outcome: the case was opened, none of its executions waits for it, and
 * the playbook stopped waiting (or, its execution having failed, its last wait ended over an hour ago,
 * well past the seconds between two waits). Such an outcome goes to a person.
 */
export function isUnattended(record: PreChurnCase, now: Date): boolean {
  if (!record.opened || waitersToResume(record).length > 0) return false;
  if (record.waitingEnded !== undefined) return true;
  const lastWaitEnd = Math.max(Date.parse(record.opened.saveDeadline), ...Object.values(record.waits).map((end) => Date.parse(end)));
  return now.getTime() > lastWaitEnd + UNATTENDED_AFTER_MS;
}
