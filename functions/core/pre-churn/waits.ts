import { addCalendarDays, type BusinessCalendar, type Locality } from '../calendar/business-time.ts';

/**
 * How long the save may take (docs/playbooks.md: "timeout 5 business days → team lead"): `saveTimeoutDays`
 * business days after the day the case opens (today, or the next business day after hours), until the
 * end of business hours. Monday 10:00 + 5 → next Monday 18:00; Friday 19:00 + 5 → the Monday after next.
 */
export function saveDeadline(openedAt: Date, where: Locality, days: number, closing: string, calendar: BusinessCalendar): Date {
  const dueDay = calendar.localDate(calendar.dueToday(openedAt, where), where.timezone);
  return calendar.atLocalTime(calendar.addBusinessDays(dueDay, days, where.country), closing, where.timezone);
}

/**
 * After the team lead's escalation, or once the owner is asked for the missing proof, the case still
 * waits for its outcome this many calendar days (then the playbook stops; an outcome arriving later
 * goes to a person). Long enough for a proof to be found, short enough to keep every execution of the
 * playbook well inside its TimeoutSeconds.
 */
export const LATE_OUTCOME_DAYS = 30;

export function lateOutcomeDeadline(from: Date, timezone: string, closing: string, calendar: BusinessCalendar): Date {
  return calendar.atLocalTime(addCalendarDays(calendar.localDate(from, timezone), LATE_OUTCOME_DAYS), closing, timezone);
}

/** The Task's timeout for a wait ending at `until`, counted from `now`: whole seconds, at least 1. */
export function waitSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
