/**
 * When the ledger tries a vendor again. The ledger is the source of truth: a task, an alert or an
 * e-mail exists the moment it is written there, and what the vendors must receive (the CRM mirror,
 * the Slack post, the e-mail) is a dispatch the ledger keeps until it is delivered. A vendor outage
 * therefore never holds a playbook: the dispatch waits, and is tried again on this schedule.
 *
 * - The first retry comes a minute after the failure, each next one twice as late, at most every
 *   30 minutes: a HubSpot or Slack incident of two hours costs about ten calls per dispatch.
 * - A vendor that said when to come back (`Retry-After`) is not called before.
 * - A dispatch is tried for a day (`DISPATCH_WINDOW_HOURS`) after it was queued: long enough for a
 *   vendor's bad night, short enough that what is still undelivered is worth waking someone for.
 *   Then it becomes a dead letter: kept in the ledger, counted, alarmed, listed in the report.
 * - A request the vendor refused as such (a 4xx that is not throttling) is a dead letter at once:
 *   sending it again would be refused again.
 */

export const FIRST_RETRY_SECONDS = 60;
export const LONGEST_RETRY_SECONDS = 30 * 60;
export const DISPATCH_WINDOW_HOURS = 24;

export interface DeliveryFailure {
  /** How many attempts failed so far, this one included (1 after the first failure). */
  attempts: number;
  queuedAt: Date;
  now: Date;
  /** False when the vendor refused the request itself: trying again cannot help. */
  retryable: boolean;
  /** The vendor's `Retry-After`, when it sent one. */
  retryAfterSeconds?: number | undefined;
}

export type NextStep = { retryAt: Date } | { deadLetter: 'refused' | 'window-closed' };

/** The wait before attempt `attempts + 1`: 1, 2, 4, 8, 16, then 30 minutes. */
export function backoffSeconds(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_SECONDS);
}

/** What follows a failed delivery: another attempt at `retryAt`, or a dead letter, and why. */
export function afterFailure(failure: DeliveryFailure): NextStep {
  if (!failure.retryable) return { deadLetter: 'refused' };
  const waitSeconds = Math.max(backoffSeconds(failure.attempts), failure.retryAfterSeconds ?? 0);
  const retryAt = new Date(failure.now.getTime() + waitSeconds * 1000);
  const closesAt = failure.queuedAt.getTime() + DISPATCH_WINDOW_HOURS * 3600 * 1000;
  return retryAt.getTime() > closesAt ? { deadLetter: 'window-closed' } : { retryAt };
}
