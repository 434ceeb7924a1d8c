import { isoInstant, z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { decideAfterWait, followUpAfter, type AfterWaitDecision } from '../core/competitor-meeting/after-wait.ts';
import { callDayOf, callSchedule, type CallSchedule } from '../core/competitor-meeting/call-day.ts';
import { describeMeeting } from '../core/competitor-meeting/describe.ts';
import { assertWithinExecution } from '../core/competitor-meeting/execution-limit.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface CompetitorMeetingCheck {
  decision: AfterWaitDecision['decision'];
  /** re-plan: the new call instant, local, and in UTC for the Wait (RePlan puts it in `$.plan.schedule`). */
  schedule?: CallSchedule;
  /** call: when the red-alert-call is due (the call instant; "today" by the calendar after a late wake-up). */
  dueAt?: string;
  /** call: the meeting as it is now, for the task's body. */
  details?: string;
}

/**
 * The re-check after the wait (invariant 5, exit on goal): re-read the meeting and the account's
 * touchpoints, then exit, wait again for a moved meeting, or call. The decision is written on the
 * record before it is returned, and a retry of this step returns it again from there (after-wait.ts).
 */
export const recheckCompetitorMeeting = definePlaybookFunction({
  id: 'recheck-competitor-meeting',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    meetingId: z.string().check(z.minLength(1)),
    execution: z.string().check(z.minLength(1)),
    startedAt: isoInstant(),
  }),
  async run({ accountId, meetingId, execution, startedAt }, { ledger, now, settings, calendar, logger }): Promise<CompetitorMeetingCheck> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { meeting, version } = await ledger.getCompetitorMeeting(accountId, meetingId);
    // The plan wrote it before this execution waited: gone means the table lost data, not "nothing to do".
    if (!meeting?.followUp) throw new Error(`Competitor meeting ${meetingId} of account ${accountId} is not in the ledger`);
    const callDay = callDayOf({ detectedAt: meeting.followUp.since, meetingAt: meeting.meetingAt }, account, settings.competitorMeeting, calendar);
    const touchpoints = await ledger.touchpointsSince(accountId, meeting.followUp.since);
    const decision = decideAfterWait({ meeting, execution, touchpoints, callDay, now: now(), where: account, calendar });
    const local = (instant: Date) => formatLocalIso(instant, account.timezone);
    if (decision.decision === 're-plan') assertWithinExecution(decision.callAt, new Date(startedAt), local(decision.callAt));

    const next = followUpAfter(meeting, decision, local);
    if (next) await ledger.writeCompetitorMeeting(next, version);
    logger.info('red alert re-checked', { accountId, meetingId, decision: decision.decision, written: next !== undefined });

    switch (decision.decision) {
      case 're-plan':
        return { decision: 're-plan', schedule: callSchedule(decision.callAt, account.timezone) };
      case 'call':
        return { decision: 'call', dueAt: local(decision.dueAt), details: describeMeeting(meeting, account.timezone) };
      default:
        return { decision: decision.decision };
    }
  },
});
