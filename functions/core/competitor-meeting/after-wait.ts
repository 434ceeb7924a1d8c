import type { CallDay } from './call-day.ts';
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
  | { decision: 'call' };

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
}

export function decideAfterWait({ meeting, execution, touchpoints, callDay, now }: AfterWaitRequest): AfterWaitDecision {
  const followUp = meeting.followUp;
  if (!followUp || followUp.execution !== execution || followUp.state !== 'waiting') return { decision: 'superseded' };
  if (meeting.status === 'cancelled') return { decision: 'cancelled' };
  const since = Date.parse(followUp.since);
  const met = touchpoints.find((touchpoint) => touchpoint.channel === 'meeting' && Date.parse(touchpoint.at) >= since);
  if (met) return { decision: 'meeting-booked', touchpointAt: met.at };
  // A new call instant that is already past cannot be waited for: call now rather than never.
  if (callDay.at.getTime() !== Date.parse(followUp.callAt) && callDay.at.getTime() > now.getTime()) {
    return { decision: 're-plan', callAt: callDay.at };
  }
  return { decision: 'call' };
}

/** The record once the decision is taken: what the follow-up now waits for, or how it ended. `undefined`: nothing to write. */
export function followUpAfter(meeting: CompetitorMeeting, decision: AfterWaitDecision, callAt: (at: Date) => string): CompetitorMeeting | undefined {
  const followUp = meeting.followUp;
  if (!followUp || decision.decision === 'superseded') return undefined;
  if (decision.decision === 're-plan') return { ...meeting, followUp: { ...followUp, callAt: callAt(decision.callAt) } };
  const outcome: FollowUpOutcome = decision.decision === 'call' ? 'called' : decision.decision;
  return { ...meeting, followUp: { ...followUp, state: 'ended', outcome } };
}
