import { addCalendarDays, type BusinessCalendar, type Locality } from '../calendar/business-time.ts';

/**
 * When the 91-day check wakes up (docs/playbooks.md, no-contact). Days are the account's: its time zone,
 * its country's business days, business hours from the settings.
 */

/**
 * The longest a no-contact execution waits before it re-reads the ledger: a 91-day wait is four slices,
 * each in a fresh execution of the state machine's current version (the hand-over). So no execution
 * nears Step Functions' one-year limit, and a redeploy reaches a waiting check within a slice. The
 * state machine's TimeoutSeconds covers one slice with margin (a test holds the two together).
 */
export const NO_CONTACT_SLICE_DAYS = 30;
const DAY_MS = 86_400_000;
export const NO_CONTACT_SLICE_MS = NO_CONTACT_SLICE_DAYS * DAY_MS;

/**
 * Something `days` calendar days after `from` is due at the start of business hours (09:00) on the
 * first business day on or after that local date: 91 days after a call on Monday 16 November 2026 in
 * Paris is Monday 15 February 2027, 09:00. Calendar days on the local date, so a DST change in
 * between moves nothing.
 */
export function dueAfter(from: Date, days: number, where: Locality, calendar: BusinessCalendar): Date {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`Days must be a non-negative integer: ${days}`);
  const day = calendar.businessDayOnOrAfter(addCalendarDays(calendar.localDate(from, where.timezone), days), where.country);
  return calendar.startOfBusinessDay(day, where);
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
  return new Date(Math.min(due.getTime(), now.getTime() + NO_CONTACT_SLICE_MS));
}

/** The three instants a check needs, bound to one account, one `now` and the settings. */
export interface CheckClock {
  now: Date;
  /** When a count from `from` (the last touchpoint) is due: `noContactDays` later. */
  outreachDue(from: Date): Date;
  /** When the reminder is due after an outreach at `outreachAt`: `noContactReminderDays` later. */
  reminderDue(outreachAt: Date): Date;
  wakeUpFor(due: Date): Date;
  /** An instant in the account's offset, as the record keeps it. */
  local(at: Date): string;
}

export function checkClock(
  now: Date,
  where: Locality,
  settings: { noContactDays: number; noContactReminderDays: number },
  calendar: BusinessCalendar,
  local: (at: Date) => string,
): CheckClock {
  return {
    now,
    outreachDue: (from) => dueAfter(from, settings.noContactDays, where, calendar),
    reminderDue: (outreachAt) => dueAfter(outreachAt, settings.noContactReminderDays, where, calendar),
    wakeUpFor: (due) => nextWakeUp(due, now, where, calendar),
    local,
  };
}
