import { formatLocalIso } from '../calendar/business-time.ts';
import type { CoupledSignal } from './coupled-signals.ts';
import type { CompetitorMeeting } from './meeting.ts';

/**
 * What the CSM reads on the account and in the task: the meeting, in the account's time. Competitor
 * and shop names belong in the ledger and the CRM; they never go to logs.
 */
export function describeMeeting(meeting: Pick<CompetitorMeeting, 'competitor' | 'shop' | 'meetingAt'>, timezone: string): string {
  const where = meeting.shop ? ` (shop ${meeting.shop})` : '';
  return `Red alert: a meeting with ${meeting.competitor}${where} on ${formatLocalIso(new Date(meeting.meetingAt), timezone)}.`;
}

export function describeSignals(signals: readonly CoupledSignal[], timezone: string): string {
  const local = (at: string) => formatLocalIso(new Date(at), timezone);
  const lines = signals.map((signal) =>
    signal.signal === 'detractor-nps' ? `a detractor NPS answer on ${local(signal.at)}` : `a churn risk opened on ${local(signal.at)}`,
  );
  return lines.length === 0 ? 'No coupled signal: a note on the account, no opportunity (seed 001).' : `Coupled with ${lines.join('; ')}.`;
}

/** The note of a red alert about a meeting that had taken place when it was detected: why no call follows. */
export function describePastMeeting(meeting: Pick<CompetitorMeeting, 'competitor' | 'shop' | 'meetingAt'>, timezone: string): string {
  return `${describeMeeting(meeting, timezone)} It had already taken place when it was detected: no call before it is possible, so no red-alert call; the note keeps the signal on the account.`;
}
