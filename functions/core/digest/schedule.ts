import { addCalendarDays, formatLocalIso, nextDailyInstant } from '../calendar/business-time.ts';

/**
 * When a person's Monday digest is due (docs/playbooks.md, digest): `digest.time` on Monday in the
 * person's own time zone, whatever the season (08:00 in Paris is 07:00 UTC in winter, 06:00 in
 * summer). A job that runs every hour asks which people's moment fell within the hour it covers. Pure.
 */

/** The Monday (the person's local date) whose `time` fell within (`from`, `to`], if one did. */
export function digestDueBetween(from: Date, to: Date, time: string, timezone: string): string | undefined {
  for (let at = nextDailyInstant(from, time, timezone); at.getTime() <= to.getTime(); at = nextDailyInstant(at, time, timezone)) {
    const day = localDay(at, timezone);
    if (isMonday(day)) return day;
  }
  return undefined;
}

/** One digest per person and week: the id its sending is claimed under, from the person and the Monday. */
export function digestId(personId: string, monday: string): string {
  return `digest-${personId}-${monday}`;
}

/** The week a digest covers: the seven days before its Monday. */
export function digestWeek(monday: string): { from: string; to: string } {
  return { from: addCalendarDays(monday, -7), to: addCalendarDays(monday, -1) };
}

function isMonday(day: string): boolean {
  return new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
}

function localDay(at: Date, timezone: string): string {
  return formatLocalIso(at, timezone).slice(0, 10);
}
