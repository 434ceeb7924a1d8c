import type { BusinessCalendar, Locality } from '../calendar/business-time.ts';
import { dueAfter, nextWakeUp } from '../checks/wake-up.ts';

/**
 * When the 91-day check wakes up (docs/playbooks.md, no-contact). Days are the account's: its time zone,
 * its country's business days, business hours from the settings.
 */

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
