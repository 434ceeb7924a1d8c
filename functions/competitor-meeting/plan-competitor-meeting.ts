import { DetailSchemas } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { callDayOf, callSchedule, type CallSchedule } from '../core/competitor-meeting/call-day.ts';
import { coupledSignals, type CoupledSignal } from '../core/competitor-meeting/coupled-signals.ts';
import { describeMeeting, describePastMeeting, describeSignals } from '../core/competitor-meeting/describe.ts';
import { assertWithinExecution } from '../core/competitor-meeting/execution-limit.ts';
import { decideOnDetection, meetingId, type RecordOnlyWhy } from '../core/competitor-meeting/meeting.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface CompetitorMeetingPlan {
  /**
   * `follow-up`: this execution follows the meeting up (coupled signals, then the wait);
   * `take-over`: it takes over a follow-up whose call would now come too late (straight to the wait);
   * `note-only`: the meeting had taken place when it was detected: a note (`summary`), no call;
   * `record-only`: the record is updated if need be, and the execution ends (`why`).
   */
  action: 'follow-up' | 'take-over' | 'note-only' | 'record-only';
  why?: RecordOnlyWhy | 'past';
  meetingId: string;
  /** The reason of every effect of the follow-up (the eventId that opened it): one of each. */
  reason: string;
  /** follow-up and take-over: when the CSM calls. */
  schedule?: CallSchedule;
  coupled: boolean;
  signals: CoupledSignal[];
  /** The note or the churn-risk task's body: the meeting, and the signals it is coupled with. */
  summary: string;
}

/**
 * The plan of a red alert (docs/playbooks.md, competitor-meeting): record the detection on its meeting,
 * decide whether this execution follows the meeting up, and if so when the CSM calls and whether the
 * alert is coupled with other signals.
 */
export const planCompetitorMeeting = definePlaybookFunction({
  id: 'plan-competitor-meeting',
  input: z.object({
    detail: DetailSchemas.CompetitorMeetingDetected,
    /** `$$.Execution.Name`: the record names the execution that follows the meeting up. */
    execution: z.string().check(z.minLength(1)),
    /** `$$.Execution.StartTime`: the call must fall within the execution's year. */
    startedAt: isoInstant(),
  }),
  async run({ detail, execution, startedAt }, { ledger, settings, calendar, logger, metrics }): Promise<CompetitorMeetingPlan> {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const { detractorLookbackDays, churnRiskLookbackDays } = settings.competitorMeeting;
    const detection = { ...detail, status: detail.status ?? 'scheduled' };
    const id = meetingId(detail);
    const callAt = (from: { detectedAt: string; meetingAt: string }) =>
      formatLocalIso(callDayOf(from, account, settings.competitorMeeting, calendar).at, account.timezone);
    const stored = await ledger.getCompetitorMeeting(account.id, id);
    const decision = decideOnDetection({ accountId: account.id, stored: stored.meeting, detection, execution, callAt });
    const nothing = { meetingId: id, reason: detail.eventId, coupled: false, signals: [] };

    if (decision.action === 'record-only') {
      if (decision.meeting) await ledger.writeCompetitorMeeting(decision.meeting, stored.version);
      logger.info('red alert recorded, no new follow-up', { accountId: account.id, meetingId: id, why: decision.why });
      return { ...nothing, action: 'record-only', why: decision.why, summary: '' };
    }
    if (decision.action === 'note-only') {
      await ledger.writeCompetitorMeeting(decision.meeting, stored.version);
      logger.info('red alert about a past meeting: a note, no call', { accountId: account.id, meetingId: id });
      return { ...nothing, action: 'note-only', why: 'past', summary: describePastMeeting(decision.meeting, account.timezone) };
    }

    const followUp = decision.meeting.followUp!;
    // Checked before anything is written: a meeting too far ahead opens no follow-up that cannot finish.
    assertWithinExecution(new Date(followUp.callAt), new Date(startedAt), followUp.callAt);
    if (decision.write) await ledger.writeCompetitorMeeting(decision.meeting, stored.version);
    // A take-over continues a follow-up whose signals were already handled.
    const signals =
      decision.action === 'follow-up'
        ? coupledSignals({
            detectedAt: new Date(followUp.since),
            detractorLookbackDays,
            churnRiskLookbackDays,
            npsAnswers: await ledger.npsResponses(account.id),
            openRisks: await ledger.openRisks(account.id),
          })
        : [];
    if (decision.write) metrics.addMetric(decision.action === 'follow-up' ? 'RedAlertFollowUp' : 'RedAlertTakeOver', 'Count', 1);
    logger.info('red alert follow-up planned', { accountId: account.id, meetingId: id, action: decision.action, callAt: followUp.callAt, coupled: signals.length > 0 });
    return {
      action: decision.action,
      meetingId: id,
      reason: followUp.reason,
      schedule: callSchedule(new Date(followUp.callAt), account.timezone),
      coupled: signals.length > 0,
      signals,
      summary: `${describeMeeting(decision.meeting, account.timezone)} ${describeSignals(signals, account.timezone)}`,
    };
  },
});
