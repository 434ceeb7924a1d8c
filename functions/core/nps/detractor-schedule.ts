import type { OwnerRole, Settings } from '../../contracts/index.ts';
import type { BusinessCalendar, Locality } from '../calendar/business-time.ts';

export interface DetractorSchedule {
  /** When the cool-down ends: the playbook wakes, checks whether the contact was called, and if not asks for the call. */
  callCheckAt: Date;
  /** When the action plan is measured, unless the churn risk closed meanwhile. */
  planReviewAt: Date;
}

/**
 * The two waits of a detractor answer, both at the start of business hours in the account's time
 * zone, counted from the local date of the answer (not from when the playbook ran, so a late
 * delivery or a replay waits less, never more):
 *
 * - cool-down (seed 002 §12, "le temps que l'émotion retombe"): `detractorCoolDown` business days
 *   after the answer's date (Thursday + 2 = Monday; a Saturday answer + 2 = Tuesday; 0 = the answer's
 *   own business day, or the next one);
 * - plan review (seed 003 step 6): `actionPlanReviewDays` calendar days after the answer's date,
 *   moved to the next business day when that day is a weekend or a public holiday.
 */
export function detractorSchedule(
  answeredAt: Date,
  where: Locality,
  settings: Pick<Settings['nps'], 'detractorCoolDown' | 'actionPlanReviewDays'>,
  calendar: BusinessCalendar,
): DetractorSchedule {
  const answerDay = calendar.localDate(answeredAt, where.timezone);
  const callDay = calendar.addBusinessDays(answerDay, settings.detractorCoolDown, where.country);
  const reviewDay = calendar.businessDayOnOrAfter(addCalendarDays(answerDay, settings.actionPlanReviewDays), where.country);
  return { callCheckAt: calendar.startOfBusinessDay(callDay, where), planReviewAt: calendar.startOfBusinessDay(reviewDay, where) };
}

/** Who calls the detractor: the CSM, or the support queue when `detractorCaller` says so. */
export function detractorCaller(settings: Pick<Settings['nps'], 'detractorCaller'>): OwnerRole {
  return settings.detractorCaller === 'support' ? 'support' : 'csm';
}

/** `YYYY-MM-DD` plus whole days, in UTC where every day has 24 hours. */
function addCalendarDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
