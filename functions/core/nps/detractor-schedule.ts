import type { OwnerRole, Settings } from '../../contracts/index.ts';
import { addCalendarDays, type BusinessCalendar, type Locality } from '../calendar/business-time.ts';

export interface DetractorSchedule {
  /** When the cool-down ends: the playbook wakes, checks whether the risk closed or the contact was called, and if neither asks for the call. */
  callCheckAt: Date;
  /** When the action plan is measured, unless the risk the answer opened or joined closed meanwhile. */
  planReviewAt: Date;
}

/**
 * The instant a detractor's waits count from: the answer's time, never later than now. A vendor
 * clock running ahead stamps answers in the future; counting from such a stamp would push the plan
 * review past the execution's TimeoutSeconds (TIMED_OUT, the review lost) and make the cool-down
 * check ignore a call logged before the stamp.
 */
export function followUpAnchor(respondedAt: Date, now: Date): Date {
  return respondedAt.getTime() <= now.getTime() ? respondedAt : now;
}

/**
 * The two waits of a detractor answer, both at the start of business hours in the account's time
 * zone, counted from the local date of the answer (not from when the playbook ran, so a late
 * delivery or a replay waits less, never more; `answeredAt` is the `followUpAnchor`, never in the future):
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
