import { daysBetween } from '../calendar/business-time.ts';
import { dailyUse, type UsageWindow } from '../usage/usage.ts';
import type { MeasureReading } from './score.ts';

/**
 * Each health measure's reading (docs/playbooks.md, health): what the ledger holds of the account,
 * turned into points from 0 (worst) to 100 (best), and said in a CSM's words. `undefined`: no data,
 * which the score leaves out (core/health/score.ts) rather than calling it neutral. Pure.
 */

/**
 * Usage: this week's user-days per business day against the 4 weeks before (core/usage/usage.ts),
 * 100 points at or above the usual, in proportion below; idle `accountIdleDays` or more: 0. An account
 * used with no usual week yet (new to the product) scores 100; one never used has no usage data.
 */
export function usageReading(window: UsageWindow | undefined, accountIdleDays: number): MeasureReading | undefined {
  if (!window || window.lastActiveDay === undefined) return undefined;
  if (window.idleDays !== undefined && window.idleDays >= accountIdleDays) return { value: `no use for ${window.idleDays} days`, points: 0 };
  const usual = dailyUse(window.fourWeekAverage);
  if (usual === 0) return { value: 'in use, no usual week yet', points: 100 };
  const ratio = dailyUse(window.thisWeek) / usual;
  return { value: `this week at ${Math.round(ratio * 100)} % of the 4 weeks before`, points: Math.min(100, ratio * 100) };
}

/**
 * Engagement: the days since the last touchpoint with the account, 100 points on the day, 0 at the
 * team's no-contact threshold (`noContact.noContactDays`, 91), in proportion between. No touchpoint on
 * file: no data.
 */
export function engagementReading(lastTouchpointDay: string | undefined, today: string, noContactDays: number): MeasureReading | undefined {
  if (lastTouchpointDay === undefined) return undefined;
  const days = Math.max(0, daysBetween(lastTouchpointDay, today));
  return { value: `${days} days since the last touchpoint`, points: Math.max(0, 100 * (1 - days / noContactDays)) };
}

/** NPS: the account's latest answer within a year, 10 points a point of score (a 7 scores 70). None: no data. */
export function npsReading(latest: { score: number; day: string } | undefined, today: string): MeasureReading | undefined {
  if (!latest || daysBetween(latest.day, today) > 365) return undefined;
  return { value: `latest NPS answer ${latest.score} (${latest.day})`, points: latest.score * 10 };
}

/** The CSM's pulse (1–5): 1 scores 0, 5 scores 100; older than `pulseValidDays` it has expired: no data. */
export function pulseReading(pulse: { pulse: number; day: string } | undefined, today: string, pulseValidDays: number): MeasureReading | undefined {
  if (!pulse || daysBetween(pulse.day, today) > pulseValidDays) return undefined;
  return { value: `CSM pulse ${pulse.pulse}/5 (${pulse.day})`, points: (pulse.pulse - 1) * 25 };
}

/**
 * Support: the account's helpdesk tickets still open (open or pending) and its client e-mails still
 * waiting for a first reply (for 30 days at most: functions/adapters/health-records.ts). 100 points with none, 25 fewer per open ticket and 50 fewer per unanswered
 * e-mail, 0 at worst. Nothing on file (no ticket ever, no client e-mail): no data, since a helpdesk that
 * is not connected says nothing about the account.
 */
export function supportReading(support: { openTickets: number; unansweredFeedback: number } | undefined): MeasureReading | undefined {
  if (!support) return undefined;
  const { openTickets, unansweredFeedback } = support;
  const value = [`${openTickets} open ticket${openTickets === 1 ? '' : 's'}`, ...(unansweredFeedback > 0 ? [`${unansweredFeedback} client e-mail${unansweredFeedback === 1 ? '' : 's'} without a reply`] : [])].join(', ');
  return { value, points: Math.max(0, 100 - 25 * openTickets - 50 * unansweredFeedback) };
}
