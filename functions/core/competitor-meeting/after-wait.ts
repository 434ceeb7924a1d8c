import type { BusinessCalendar, Locality } from '../calendar/business-time.ts';
import { callDueAt, type CallDay } from './call-day.ts';
import type { CompetitorMeeting, FollowUpOutcome } from './meeting.ts';

/**
 * Exit on goal (invariant 5) for a red alert: when the follow-up wakes on its call day it re-reads the
 * meeting and the account's touchpoints, and only then decides.
 */
export type AfterWaitDecision =
  /** Another execution took the follow-up over (the meeting moved earlier): this one stops. */
  | { decision: 'superseded' }
  /** The competitor meeting was cancelled: nothing to pre-empt. */
  | { decision: 'cancelled' }
  /** A meeting with the client was logged since the detection: the goal of the call is met. */
  | { decision: 'meeting-booked'; touchpointAt: string }
  /** The meeting moved: wait again, for the call day of its new time. */
  | { decision: 're-plan'; callAt: Date }
  /** The red-alert-call, due at `dueAt` (callDueAt). */
  | { decision: 'call'; dueAt: Date };

export interface AfterWaitRequest {
  meeting: CompetitorMeeting;
  /** The execution that woke up (`$$.Execution.Name`). */
  execution: string;
  /** The account's touchpoints since the follow-up began (any contact, any channel). */
  touchpoints: readonly { channel: string; at: string }[];
  /**
   * The call day for the meeting's time as it is now, counted from the detection that opened the
   * follow-up: a re-sent detection of an unchanged meeting does not push the call back a day.
   */
  callDay: CallDay;
  now: Date;
  where: Locality;
  calendar: Pick<BusinessCalendar, 'dueToday'>;
}

export function decideAfterWait({ meeting, execution, touchpoints, callDay, now, where, calendar }: AfterWaitRequest): AfterWaitDecision {
  const followUp = meeting.followUp;
  if (!followUp || followUp.execution !== execution) return { decision: 'superseded' };
  // This execution decided already and wrote it, but its answer was lost (a timeout, a throttled
  // response) and Step Functions retries the step: the same answer, from the record.
  if (followUp.state === 'ended') return decidedBefore(followUp);
  if (meeting.status === 'cancelled') return { decision: 'cancelled' };
  const since = Date.parse(followUp.since);
  const met = touchpoints.find((touchpoint) => touchpoint.channel === 'meeting' && Date.parse(touchpoint.at) >= since);
  if (met) return { decision: 'meeting-booked', touchpointAt: met.at };
  // Wait again only for a call instant still to come, whatever the record says it waited for: after
  // a re-plan the record already holds that instant, and waking at it means calling. A new instant
  // that is already past cannot be waited for: call now rather than never.
  if (callDay.at.getTime() > now.getTime()) return { decision: 're-plan', callAt: callDay.at };
  return { decision: 'call', dueAt: callDueAt(new Date(followUp.callAt), now, where, calendar) };
}

function decidedBefore(followUp: NonNullable<CompetitorMeeting['followUp']>): AfterWaitDecision {
  switch (followUp.outcome) {
    case 'called':
      return { decision: 'call', dueAt: new Date(followUp.dueAt ?? followUp.callAt) };
    case 'cancelled':
      return { decision: 'cancelled' };
    case 'meeting-booked':
      return { decision: 'meeting-booked', touchpointAt: followUp.touchpointAt ?? followUp.since };
    default:
      // `failed`: its run is over; nothing of it acts again.
      return { decision: 'superseded' };
  }
}

/**
 * The record once the decision is taken: what the follow-up now waits for, or how it ended, with what
 * a retried re-check must answer again. `undefined`: nothing to write (not this execution's, already
 * written, or a re-plan to the instant it already waits for).
 */
export function followUpAfter(meeting: CompetitorMeeting, decision: AfterWaitDecision, local: (at: Date) => string): CompetitorMeeting | undefined {
  const followUp = meeting.followUp;
  if (!followUp || followUp.state !== 'waiting' || decision.decision === 'superseded') return undefined;
  if (decision.decision === 're-plan') {
    const callAt = local(decision.callAt);
    return Date.parse(callAt) === Date.parse(followUp.callAt) ? undefined : { ...meeting, followUp: { ...followUp, callAt } };
  }
  const ended = { ...followUp, state: 'ended' as const };
  switch (decision.decision) {
    case 'call':
      return { ...meeting, followUp: { ...ended, outcome: 'called', dueAt: local(decision.dueAt) } };
    case 'meeting-booked':
      return { ...meeting, followUp: { ...ended, outcome: 'meeting-booked', touchpointAt: decision.touchpointAt } };
    default:
      return { ...meeting, followUp: { ...ended, outcome: decision.decision satisfies FollowUpOutcome } };
  }
}

/**
 * The record after the follow-up's execution failed for good (its Catch path): ended, `failed`, so
 * that a redelivery or a later detection reopens it instead of finding it "followed" by an execution
 * that will never wake. Only the execution the record names may say so, once. `undefined`: nothing to
 * write (another execution's follow-up, or none).
 */
export function followUpFailed(meeting: CompetitorMeeting | undefined, execution: string): CompetitorMeeting | undefined {
  const followUp = meeting?.followUp;
  if (!meeting || !followUp || followUp.execution !== execution || followUp.outcome === 'failed') return undefined;
  const { dueAt: _dueAt, touchpointAt: _touchpointAt, ...rest } = followUp;
  return { ...meeting, followUp: { ...rest, state: 'ended', outcome: 'failed' } };
}
