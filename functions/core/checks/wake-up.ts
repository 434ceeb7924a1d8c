import { addCalendarDays, type BusinessCalendar, type Locality } from '../calendar/business-time.ts';

/**
 * When a held check (core/checks/held-check.ts) wakes up. Days are the account's: its time zone, its
 * country's business days, business hours from the settings.
 */

/**
 * The longest a held check's execution waits before it re-reads the ledger: a 91-day wait is four
 * slices, each in a fresh execution of the state machine's current version (the hand-over). So no
 * execution nears Step Functions' one-year limit, and a redeploy reaches a waiting check within a
 * slice. Each check's state machine TimeoutSeconds covers one slice with margin (a test holds the two together).
 */
export const CHECK_SLICE_DAYS = 30;
const DAY_MS = 86_400_000;
export const CHECK_SLICE_MS = CHECK_SLICE_DAYS * DAY_MS;

/**
 * Something `days` calendar days after `from` is due at the start of business hours (09:00) on the
 * first business day on or after that local date: 91 days after a call on Monday 16 November 2026 in
 * Paris is Monday 15 February 2027, 09:00. Calendar days on the local date, so a DST change in
 * between moves nothing.
 */
export function dueAfter(from: Date, days: number, where: Locality, calendar: BusinessCalendar): Date {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`Days must be a non-negative integer: ${days}`);
  return dueOn(addCalendarDays(calendar.localDate(from, where.timezone), days), where, calendar);
}

/** Something due on a local date is due at the start of business hours on the first business day on or after it. */
export function dueOn(day: string, where: Locality, calendar: BusinessCalendar): Date {
  return calendar.startOfBusinessDay(calendar.businessDayOnOrAfter(day, where.country), where);
}

/**
 * `now` when it falls in business hours on a business day; otherwise the next start of business hours.
 * What is overdue (a count that started long ago, a wake-up after an outage) is acted on then, not on
 * a Saturday night.
 */
export function businessMomentOnOrAfter(now: Date, where: Locality, calendar: BusinessCalendar): Date {
  const today = calendar.localDate(now, where.timezone);
  if (calendar.isBusinessDay(today, where.country)) {
    const opening = calendar.startOfBusinessDay(today, where);
    if (now.getTime() < opening.getTime()) return opening;
    // A task "for today" is due today while business is open, the next business day after closing.
    if (calendar.localDate(calendar.dueToday(now, where), where.timezone) === today) return now;
  }
  return calendar.startOfBusinessDay(calendar.nextBusinessDay(today, where.country), where);
}

/**
 * When the check wakes up for something due at `due`: at `due` if it comes within a slice, else at
 * the end of the slice (to re-read and hand over); when `due` has passed, at the next business moment.
 */
export function nextWakeUp(due: Date, now: Date, where: Locality, calendar: BusinessCalendar): Date {
  if (due.getTime() <= now.getTime()) return businessMomentOnOrAfter(now, where, calendar);
  return new Date(Math.min(due.getTime(), now.getTime() + CHECK_SLICE_MS));
}
