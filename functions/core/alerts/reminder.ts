import { executionName } from '../tasks/identity.ts';
import type { BusinessCalendar, Locality } from '../calendar/business-time.ts';

/**
 * The 17:00 reminder of the alert channel (docs/playbooks.md, alert channel: "Unacknowledged alerts at 17:00
 * local → a reminder post listing them"): when it comes for an account, and the name of the execution
 * that carries it to the next day while alerts stay open.
 */

/**
 * Whether the 17:00 reminder lists an open alert of this type. Every inbound alert, yes (seed 001: the
 * case waits for a task or a resolution). A threshold alert (seed 004) is information for the team to
 * weigh, left open until someone acts on it or snoozes it: reminding it every business day would be the
 * noise that makes a team mute the channel. It stays in the channel, open, until someone ✅s or snoozes it.
 */
export function remindedDaily(type: string): boolean {
  return type !== 'threshold';
}

/**
 * How far ahead of now the reminder must be. The execution that plans it runs beside the playbook that
 * raises the alert (both start on the same event): an alert raised a few seconds before `reminderTime`
 * by that very event must be in the list, not miss it by the time its own playbook records it.
 */
export const REMINDER_LEAD_MINUTES = 15;

export interface ReminderSlotRequest {
  now: Date;
  where: Locality;
  /** settings.alerts.reminderTime (default 17:00), local to the account. */
  reminderTime: string;
  /** `YYYY-MM-DD`: a day already reminded (a hand-over): the slot is on a later day. */
  after?: string | undefined;
}

export interface ReminderSlot {
  /** `YYYY-MM-DD`, local to the account: a business day there. */
  day: string;
  /** `reminderTime` on `day`, in the account's zone (DST included). */
  at: Date;
}

/**
 * The first business day (the account's zone and country) whose `reminderTime` is at least
 * REMINDER_LEAD_MINUTES after `now`, and after `after` when given: Tuesday 10:00 → Tuesday 17:00;
 * Tuesday 16:50 → Wednesday 17:00; Friday 17:30 → Monday 17:00.
 */
export function reminderSlot(request: ReminderSlotRequest, calendar: BusinessCalendar): ReminderSlot {
  const { where, reminderTime } = request;
  const earliest = request.now.getTime() + REMINDER_LEAD_MINUTES * 60_000;
  let day = calendar.businessDayOnOrAfter(calendar.localDate(request.now, where.timezone), where.country);
  // `YYYY-MM-DD` strings compare in date order.
  if (request.after !== undefined && day <= request.after) day = calendar.nextBusinessDay(request.after, where.country);
  // Two rounds at most (today is too late → the next business day, a day later than `earliest`); the
  // calendar itself throws past a year of closed days.
  for (;;) {
    const at = calendar.atLocalTime(day, reminderTime, where.timezone);
    if (at.getTime() >= earliest) return { day, at };
    day = calendar.nextBusinessDay(day, where.country);
  }
}

/**
 * The name of the execution an account's reminder is handed over to after `day`. Derived from the
 * account and the day, so a retried hand-over asks for the same name with the same input (Step
 * Functions answers it with the execution already started) and never starts a second one. Names are
 * 1–80 characters among letters, digits, `-` and `_`: the account id is kept readable for the console,
 * and a digest of the raw id keeps two ids that read the same once cleaned (`acc.1`, `acc-1`) apart.
 */
export function reminderHandOverName(accountId: string, day: string): string {
  return executionName('rem', accountId, [accountId], 8, day);
}

/** Whether an open alert belongs in the reminder of `remindAt`: raised by then (a later one is the next day's). */
export function listedAt(alert: { raisedAt: string }, remindAt: string): boolean {
  return Date.parse(alert.raisedAt) <= Date.parse(remindAt);
}

/** An account's reminder of one day, as the ledger keeps it: who holds it, and where it was posted. */
export interface AlertReminder {
  accountId: string;
  /** `YYYY-MM-DD`, local to the account: one reminder per account and day, by key. */
  day: string;
  /** `reminderTime` on `day`, ISO-8601 with the account's offset. */
  remindAt: string;
  /** The execution that waits for it and posts it (`$$.Execution.Name`). */
  holder: string;
  plannedAt: string;
  /** Where the channel shows it, `<channel>/<ts>`, once posted (the mirror marker). */
  slackMessage?: string;
}
