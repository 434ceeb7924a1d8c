import { daysBetween, type BusinessCalendar } from '../calendar/business-time.ts';

/**
 * The pre-churn window (seed 001, "dans les 14 jours après la signature du contrat"): a cancellation
 * requested at most `windowDays` days after the signature is a pre-churn; a later one is ordinary churn.
 * Days are counted on the account's local calendar dates, not in 24-hour slices: a contract signed on
 * 2 November (any hour) is in its window until the end of 16 November, local time, DST or not.
 */
export interface PreChurnWindow {
  /** Local calendar days from the signature's date to the request's (0: the same day). */
  days: number;
  windowDays: number;
  within: boolean;
}

export function preChurnWindow(
  contract: { signedAt: string; requestedAt: string; timezone: string; windowDays: number },
  calendar: Pick<BusinessCalendar, 'localDate'>,
): PreChurnWindow {
  const signedOn = calendar.localDate(new Date(contract.signedAt), contract.timezone);
  const requestedOn = calendar.localDate(new Date(contract.requestedAt), contract.timezone);
  // A request dated before the signature is day 0: the CRM's dates disagree, and a client asking to
  // cancel a contract this young is exactly what the window is for.
  const days = Math.max(0, daysBetween(signedOn, requestedOn));
  return { days, windowDays: contract.windowDays, within: days <= contract.windowDays };
}
