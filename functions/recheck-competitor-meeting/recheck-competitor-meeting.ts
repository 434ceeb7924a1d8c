import { isoInstant, z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { decideAfterWait, followUpAfter, type AfterWaitDecision } from '../core/competitor-meeting/after-wait.ts';
import { redAlertCallDay } from '../core/competitor-meeting/call-day.ts';
import { describeMeeting } from '../core/competitor-meeting/describe.ts';
import { assertWithinExecution } from '../core/competitor-meeting/execution-limit.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface CompetitorMeetingCheck {
  decision: AfterWaitDecision['decision'];
  /** re-plan: the new call instant, local, and in UTC for the Wait. */
  callAt?: string;
  wakeAt?: string;
  /** call: when the red-alert-call is due (the call instant; now, if the wake-up came late). */
  dueAt?: string;
  /** call: the meeting as it is now, for the task's body. */
  details?: string;
}

/**
 * The re-check after the wait (invariant 5, exit on goal): re-read the meeting and the account's
 * touchpoints, then exit, wait again for a moved meeting, or call.
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
    const { callLeadDays, callTime } = settings.competitorMeeting;
    const callDay = redAlertCallDay(
      { detectedAt: new Date(meeting.followUp.since), meetingAt: new Date(meeting.meetingAt), where: account, callLeadDays, callTime },
      calendar,
    );
    const at = now();
    const touchpoints = await ledger.touchpointsSince(accountId, meeting.followUp.since);
    const decision = decideAfterWait({ meeting, execution, touchpoints, callDay, now: at });
    const local = (instant: Date) => formatLocalIso(instant, account.timezone);
    if (decision.decision === 're-plan') assertWithinExecution(decision.callAt, new Date(startedAt), local(decision.callAt));

    const next = followUpAfter(meeting, decision, local);
    if (next) await ledger.writeCompetitorMeeting(next, version);
    logger.info('red alert re-checked', { accountId, meetingId, decision: decision.decision });

    switch (decision.decision) {
      case 're-plan':
        return { decision: 're-plan', callAt: local(decision.callAt), wakeAt: decision.callAt.toISOString().replace(/\.\d{3}Z$/, 'Z') };
      case 'call': {
        const planned = new Date(meeting.followUp.callAt);
        return {
          decision: 'call',
          dueAt: local(planned.getTime() >= at.getTime() ? planned : at),
          details: describeMeeting(meeting, account.timezone),
        };
      }
      default:
        return { decision: decision.decision };
    }
  },
});
