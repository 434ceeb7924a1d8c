import { callName, send } from './calls.ts';
import { DispatchQueue, type Dispatch } from './dispatch-queue.ts';
import type { Ledger } from '../ledger.ts';
import type { PlaybookDeps } from '../../runtime/playbook-function.ts';
import type { ItemKey } from '../table.ts';
import { VendorMisconfigured, VendorRejected, VendorUnavailable } from '../vendor-errors.ts';
import { afterFailure } from '../../core/dispatch/schedule.ts';
import type { StepFailure } from '../../core/tasks/failure.ts';
import { followUpDeadLetter } from './dead-letter.ts';

/** A playbook function's dependencies: the vendors a dispatch calls are its ports; a dead letter's follow-up is a task like any. */
export type DeliveryDeps = Omit<PlaybookDeps, 'callbacks'>;

export type DeliveryOutcome = 'delivered' | 'already-mirrored' | 'retry' | 'dead-letter' | 'not-due';

/**
 * What the ledger keeps of a failure: the error's name, and for a vendor's its message (operation,
 * status and code, never a response's text), as a Catch hands a step's failure to a follow-up.
 */
function failureOf(error: unknown): StepFailure {
  if (error instanceof VendorUnavailable || error instanceof VendorRejected || error instanceof VendorMisconfigured) return { Error: error.name, Cause: error.message };
  return { Error: error instanceof Error ? error.name : 'Error' };
}

/**
 * One delivery attempt of a dispatch, by whichever drain holds its lease (the stream's, at once; the
 * sweep's, for retries): the vendor call, then its answer recorded on the item it mirrors, then the
 * dispatch closed. A failure is never thrown: it is recorded on the dispatch with its next attempt (or
 * as a dead letter), so one vendor's outage never blocks another's deliveries. An AWS failure (the
 * ledger itself) is thrown: the dispatch stays due, and its lease runs out for the next drain.
 *
 * Exactly once, as far as the vendor allows: the item's mark is checked before the call (an item
 * marked by an earlier attempt is not sent again); HubSpot upserts on the ledger id; Slack and SES can
 * only send twice if a drain dies between the vendor's answer and the mark, the same window as before.
 */
export async function deliver(key: ItemKey, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const queue = new DispatchQueue(deps.ledger);
  const dispatch = await queue.lease(key, deps.now());
  if (!dispatch) return 'not-due';
  const call = callName(dispatch.call);
  const facts = { accountId: dispatch.accountId, dispatchId: dispatch.id, call, attempt: dispatch.attempts };

  if (dispatch.target && (await markOf(deps.ledger, dispatch.target)) !== undefined) {
    await queue.delivered(dispatch, deps.now());
    deps.logger.info('dispatch already mirrored', facts);
    return 'already-mirrored';
  }
  let answer: string | undefined;
  try {
    answer = await send(dispatch.call, deps.ports, (key) => deps.ledger.readItem(key));
  } catch (error) {
    return failed(queue, dispatch, error, deps);
  }
  if (dispatch.target && answer !== undefined) await deps.ledger.recordMirror(dispatch.target.key, dispatch.target.attribute, answer);
  await queue.delivered(dispatch, deps.now());
  deps.metrics.addMetric('DispatchDelivered', 'Count', 1);
  if (dispatch.attempts > 1) deps.metrics.addMetric('DispatchDeliveredLate', 'Count', 1);
  deps.logger.info('dispatch delivered', facts);
  return 'delivered';
}

async function failed(queue: DispatchQueue, dispatch: Dispatch, error: unknown, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const now = deps.now();
  const failure = failureOf(error);
  const lastError = failure.Cause === undefined ? failure.Error : `${failure.Error}: ${failure.Cause}`;
  const facts = { accountId: dispatch.accountId, dispatchId: dispatch.id, call: callName(dispatch.call), attempt: dispatch.attempts, error: lastError };
  // Refused (the request, or our configuration: a revoked token, a missing scope) fails every time:
  // not retried in vain. Ops fix the configuration and re-queue; the CSM does it by hand meanwhile.
  const next = afterFailure({
    attempts: dispatch.attempts,
    queuedAt: new Date(dispatch.queuedAt),
    now,
    retryable: !(error instanceof VendorRejected || error instanceof VendorMisconfigured),
    retryAfterSeconds: error instanceof VendorUnavailable ? error.retryAfterSeconds : undefined,
  });
  if (error instanceof VendorMisconfigured) deps.metrics.addMetric('VendorMisconfigured', 'Count', 1);
  if ('retryAt' in next) {
    await queue.retryAt(dispatch, next.retryAt, lastError);
    deps.metrics.addMetric('DispatchRetried', 'Count', 1);
    deps.logger.warn('dispatch failed, will retry', { ...facts, retryAt: next.retryAt.toISOString() });
    return 'retry';
  }
  await queue.deadLetter(dispatch, next.deadLetter, lastError, now);
  deps.metrics.addMetric('DispatchDeadLetter', 'Count', 1);
  deps.logger.error('dispatch given up: dead letter', { ...facts, reason: next.deadLetter });
  await followUpDeadLetter(dispatch, failure, deps);
  return 'dead-letter';
}

/** The attribute a mirror records on its item (a path for a versioned record), if recorded. */
async function markOf(ledger: Ledger, target: NonNullable<Dispatch['target']>): Promise<unknown> {
  const item = await ledger.readItem<Record<string, unknown>>(target.key);
  return target.attribute.split('.').reduce<unknown>((value, name) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined), item);
}

/** How many dispatches one sweep takes at most: a minute's Lambda run, whatever the backlog. */
export const SWEEP_LIMIT = 200;

/**
 * Deliver what is due now, earliest first, a few at a time (vendors' rate limits are per app): what
 * the minute's sweep runs on AWS and the sandbox runs after each step and at each retry time.
 */
export async function drainDue(deps: DeliveryDeps, limit = SWEEP_LIMIT): Promise<Record<DeliveryOutcome, number>> {
  const counts: Record<DeliveryOutcome, number> = { delivered: 0, 'already-mirrored': 0, retry: 0, 'dead-letter': 0, 'not-due': 0 };
  const due = await new DispatchQueue(deps.ledger).due(deps.now(), limit);
  const parallel = 4;
  for (let start = 0; start < due.length; start += parallel) {
    const outcomes = await Promise.all(due.slice(start, start + parallel).map((key) => deliver(key, deps)));
    for (const outcome of outcomes) counts[outcome] += 1;
  }
  return counts;
}
