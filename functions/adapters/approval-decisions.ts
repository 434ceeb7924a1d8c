import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { ApprovalDecisionRequest } from '../contracts/approvals.ts';
import { callbackOutput, decide, type ApprovalRecord, type ApprovalWaiter } from '../core/approvals/approval.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import type { Ledger } from './ledger.ts';
import { TaskOutputRefused, TaskTokenGone, type TaskCallbacks } from './step-functions/task-callbacks.ts';

/**
 * A CSM's decision on an approval, applied: recorded once on the ledger, then handed to every
 * execution parked on it. Shared by `POST /approvals/<id>` (functions/decide-approval), the Slack
 * buttons (functions/apply-approval-decision, from `ApprovalDecided`) and the sandbox's scenario approvals.
 */

/** Two decisions racing on one approval settle within a few rounds; exactly one wins. */
const MAX_WRITE_ATTEMPTS = 3;

export type DecisionResponseBody =
  | { approvalId: string; status: 'approved' | 'cancelled'; decidedBy: string; decidedAt: string; resumed: number }
  | { error: string; details?: readonly string[]; approvalId?: string };

export interface DecisionResponse {
  statusCode: number;
  body: DecisionResponseBody;
  /**
   * With a 503: what kept the decision from a parked execution (`AwsServiceUnavailable`: Step Functions
   * throttled or failing), for a caller that retries on its name rather than on an HTTP status.
   */
  undelivered?: Error;
}

export interface DecisionDeps {
  ledger: Ledger;
  callbacks: TaskCallbacks;
  now(): Date;
  log?(message: string, fields: Record<string, string | number>): void;
}

/**
 * Record the decision on the approval exactly once (a conditional write: pending → approved or
 * cancelled), then resume every execution parked on it with `SendTaskSuccess`. Trusted callers only:
 * `POST /approvals/<id>` (signed), a Slack button (`ApprovalDecided`, signed by Slack at the ingest), and
 * the sandbox's scenario approvals (in process, like scenario events).
 */
export async function applyDecision(request: ApprovalDecisionRequest, deps: DecisionDeps): Promise<DecisionResponse> {
  const id = request.approvalId;
  for (let attempt = 1; ; attempt++) {
    const { approval, version } = await deps.ledger.getApproval(id);
    if (!approval) return refuse(404, `No approval ${id}`);
    const decided = decide(approval, request, deps.now());
    try {
      switch (decided.result) {
        case 'expired':
          if (approval.status === 'pending') await deps.ledger.writeApproval(decided.record, version);
          deps.log?.('approval expired before the decision', { approvalId: id });
          return refuse(410, `Approval ${id} expired at ${approval.expiresAt}: the e-mail was not sent and the playbook took its expiry path`, undefined, id);
        case 'already-decided':
          return refuse(409, alreadyDecided(approval), undefined, id);
        case 'decided':
          await deps.ledger.writeApproval(decided.record, version);
          return await deliver(decided.record, 'first', deps);
        case 'redeliver':
          return await deliver(decided.record, 'again', deps);
      }
    } catch (error) {
      // Another decision (or a redelivered request) wrote first: read again; it is now decided or expired.
      if (error instanceof ConditionalCheckFailedException && attempt < MAX_WRITE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** Resume every waiter that has not been: once each, since Step Functions completes a token only once. */
async function deliver(record: ApprovalRecord, round: 'first' | 'again', deps: DecisionDeps): Promise<DecisionResponse> {
  const outcome = record.outcome!;
  const reached: Record<string, ApprovalWaiter['state']> = {};
  let unavailable: Error | undefined;
  for (const [executionId, waiter] of Object.entries(record.waiters)) {
    if (waiter.state !== 'waiting') continue;
    try {
      await deps.callbacks.sendTaskSuccess(waiter.token, callbackOutput(outcome));
      reached[executionId] = 'resumed';
    } catch (error) {
      if (error instanceof TaskTokenGone) reached[executionId] = 'gone';
      else if (error instanceof TaskOutputRefused) {
        // A decision the playbook cannot take in: fail its Task now (its Catch makes it visible) rather than let it expire.
        await deps.callbacks.sendTaskFailure(waiter.token, 'ApprovalUndeliverable', `Approval ${record.id}: Step Functions refused the decision as the task output (InvalidOutput)`);
        reached[executionId] = 'resumed';
      } else unavailable = error as Error;
    }
  }
  const stored = await recordDelivery(record.id, reached, round, deps);
  const resumed = Object.values(stored.waiters).filter((waiter) => waiter.state === 'resumed').length;
  if (unavailable) {
    const response = refuse(503, `Decision recorded (${outcome.decision}), but the playbook could not be resumed yet: send the same request again (${unavailable.message})`, undefined, record.id);
    return { ...response, undelivered: unavailable };
  }
  if (stored.status === 'expired') {
    return refuse(410, `Approval ${record.id} expired before the decision reached the playbook (Step Functions: the task timed out): the e-mail was not sent and the playbook took its expiry path`, undefined, record.id);
  }
  if (round === 'again' && resumed === 0) return refuse(409, alreadyDecided(stored), undefined, record.id);
  deps.log?.('approval decided', { approvalId: record.id, decision: outcome.decision, resumed });
  return { statusCode: 200, body: { approvalId: record.id, status: outcome.decision, decidedBy: outcome.decidedBy, decidedAt: outcome.decidedAt, resumed } };
}

/**
 * Write which waiters the decision reached. When it reached none because every token was gone (the
 * Task timed out between the expiry check and the call), the approval is marked expired: the playbook
 * went down its expiry path and nothing was approved.
 */
async function recordDelivery(
  id: string,
  reached: Record<string, ApprovalWaiter['state']>,
  round: 'first' | 'again',
  deps: DecisionDeps,
): Promise<ApprovalRecord> {
  for (let attempt = 1; ; attempt++) {
    const { approval, version } = await deps.ledger.getApproval(id);
    if (!approval) throw new Error(`Approval ${id} vanished while its decision was delivered`);
    const waiters = Object.fromEntries(
      Object.entries(approval.waiters).map(([executionId, waiter]) => [executionId, reached[executionId] ? { ...waiter, state: reached[executionId] } : waiter]),
    );
    const states = Object.values(waiters).map((waiter) => waiter.state);
    const nobodyReached = round === 'first' && states.length > 0 && states.every((state) => state === 'gone');
    const next: ApprovalRecord = nobodyReached
      ? { ...approval, waiters, status: 'expired', expiredAt: formatLocalIso(deps.now(), approval.timezone) }
      : { ...approval, waiters };
    try {
      await deps.ledger.writeApproval(next, version);
      return next;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && attempt < MAX_WRITE_ATTEMPTS) continue;
      throw error;
    }
  }
}

function alreadyDecided(approval: ApprovalRecord): string {
  if (approval.status === 'expired') return `Approval ${approval.id} expired at ${approval.expiresAt}`;
  const outcome = approval.outcome;
  return `Approval ${approval.id} was already ${approval.status}${outcome ? ` by ${outcome.decidedBy} at ${outcome.decidedAt}` : ''}: a decision is taken once`;
}

function refuse(statusCode: number, error: string, details?: readonly string[], approvalId?: string): DecisionResponse {
  return { statusCode, body: { error, ...(details ? { details } : {}), ...(approvalId ? { approvalId } : {}) } };
}
