/**
 * The finance refund request of a lost pre-churn case (seed 001: "faire un slack finance-support pour
 * demander le remboursement"), exactly once per case. Slack's chat.postMessage has no idempotency key,
 * so the ledger's record is written first and the message carries the refund id in its metadata:
 *
 * 1. `posting`: the record exists before anything is posted, so an attempt that creates it knows nothing
 *    was posted, and posts.
 * 2. `posted`: the message's reference is recorded once Slack answered. Nothing is posted again.
 * 3. An attempt that finds the record `posting` (an earlier one crashed between the post and the
 *    record, or lost Slack's answer) first looks for the message in the channel's history since the
 *    record was created, by refund id: found, it records it; not found, it posts.
 *
 * Two attempts at once (two executions of one case, resumed by the same outcome) must not both reach
 * step 3 and post: the attempt that posts holds a short lease on the record, longer than a Lambda may
 * run, and another attempt meanwhile waits for it to expire (RefundInProgress, retried by the Task state).
 */
export interface RefundRecord {
  id: string;
  caseId: string;
  accountId: string;
  status: 'posting' | 'posted';
  /** When the record was created (UTC): the history search starts there. Nothing can be posted before it. */
  createdAt: string;
  /** Attempts that held the lease (each may have posted). */
  attempts: number;
  /** Until when the current attempt may post (UTC, fixed width so it compares as a string). */
  leaseUntil: string;
  /** Who asked, what, and why: the case's owner, the amount of reference, the rule as it was checked. */
  requestedBy: string;
  monthlyAmount: number;
  currency: 'EUR';
  proofUrl: string;
  message?: { channel: string; ts: string } | undefined;
  postedAt?: string | undefined;
  /** True when a retry found the message an earlier attempt had posted (the crash window). */
  foundInHistory?: boolean | undefined;
}

/** Longer than a function may run (10 s) with its vendor calls: a holder past it has stopped for good. */
export const REFUND_LEASE_MS = 30_000;

export type RefundStep =
  /** Recorded as posted: nothing to do. */
  | { step: 'done' }
  /** Another attempt holds the lease and may be posting right now. */
  | { step: 'wait'; until: string }
  /** Take the lease, look for an earlier attempt's message, post only if there is none. */
  | { step: 'search-then-post' };

/** What an attempt does with an existing record at `now`. */
export function nextRefundStep(record: RefundRecord, now: Date): RefundStep {
  if (record.status === 'posted') return { step: 'done' };
  if (Date.parse(record.leaseUntil) > now.getTime()) return { step: 'wait', until: record.leaseUntil };
  return { step: 'search-then-post' };
}

export function leaseFrom(now: Date): string {
  return new Date(now.getTime() + REFUND_LEASE_MS).toISOString();
}

/** What finance reads in its channel: who, what, why, and where the proof is. Names go to Slack, never to logs. */
export function refundRequestText(request: {
  accountName: string;
  accountId: string;
  caseId: string;
  refundId: string;
  requestedOn: string;
  signedOn: string;
  daysSinceSignature: number;
  windowDays: number;
  monthlyAmount: number;
  proofUrl: string;
  requestedBy: string;
}): string {
  return [
    `Refund request (pre-churn) — ${request.accountName} (${request.accountId})`,
    `The client asked to cancel on ${request.requestedOn}, ${request.daysSinceSignature} days after signing on ${request.signedOn} (within the ${request.windowDays}-day pre-churn window), and could not be saved: case RETENTION, origin SALES_PROCESS, lost.`,
    `Please refund what the client paid (subscription: ${request.monthlyAmount} EUR a month).`,
    `Proof of the client's request: ${request.proofUrl}`,
    `Case ${request.caseId}, refund ${request.refundId}, requested by ${request.requestedBy}.`,
  ].join('\n');
}
