import type { Person, PersonRole } from '../../contracts/settings.ts';
import { addCalendarDays, atLocalTime, dayOfWeek, formatUtcIso, localDate, nextDailyInstant } from '../calendar/business-time.ts';

/**
 * When a person's Monday digest is due (docs/playbooks.md, digest): `digest.time` on Monday in the
 * person's own time zone, whatever the season (08:00 in Paris is 07:00 UTC in winter, 06:00 in
 * summer). A job that runs once a day plans the digests due within the day it covers, each at its own
 * instant. Pure.
 */

/** Who gets a digest: a CSM (their accounts) and a team lead (their team's). */
export const DIGEST_ROLES: readonly PersonRole[] = ['csm', 'team-lead'];

const MONDAY = 1;

/** The day a run covers: from its scheduled instant, for 24 hours. */
const DAY_MS = 86_400_000;

/** The Monday (the person's local date) whose `time` fell within (`from`, `to`], and its instant, if one did. */
export function digestDueBetween(from: Date, to: Date, time: string, timezone: string): { monday: string; at: Date } | undefined {
  for (let at = nextDailyInstant(from, time, timezone); at.getTime() <= to.getTime(); at = nextDailyInstant(at, time, timezone)) {
    const day = localDate(at, timezone);
    if (dayOfWeek(day) === MONDAY) return { monday: day, at };
  }
  return undefined;
}

/** The digests due in the day from `from` (included) to 24 hours later (excluded): the people sent theirs at one instant. */
export interface DigestGroup {
  /** The UTC instant, to the second, as a Wait state reads it. */
  at: string;
  /**
   * The people of the group, each with their Monday (a group may span two local dates across the date
   * line) and the start of the week their note covers: the Monday before, at the same local time (so a
   * week across a clock change is 167 or 169 hours, and no hour is in two notes or in none).
   */
  people: { personId: string; monday: string; since: string }[];
}

/**
 * The digests due within the day that starts at `from`, grouped by instant, earliest first: each
 * CSM and team lead of the directory whose Monday `time` falls in it. The others (sales, support…)
 * get none.
 */
export function planDigests(people: readonly Pick<Person, 'id' | 'timezone' | 'role'>[], from: Date, time: string): DigestGroup[] {
  const groups = new Map<string, DigestGroup>();
  for (const person of [...people].sort((a, b) => a.id.localeCompare(b.id))) {
    if (!DIGEST_ROLES.includes(person.role)) continue;
    const due = digestDueBetween(new Date(from.getTime() - 1), new Date(from.getTime() + DAY_MS - 1), time, person.timezone);
    if (!due) continue;
    const at = formatUtcIso(due.at);
    const group = groups.get(at) ?? { at, people: [] };
    group.people.push({ personId: person.id, monday: due.monday, since: formatUtcIso(atLocalTime(addCalendarDays(due.monday, -7), time, person.timezone)) });
    groups.set(at, group);
  }
  return [...groups.values()].sort((a, b) => a.at.localeCompare(b.at));
}

/** One digest per person and week: the id its sending is claimed under, from the person and the Monday. */
export function digestId(personId: string, monday: string): string {
  return `digest-${personId}-${monday}`;
}

/**
 * Where a person's digest is filed among the dispatches and the outbox, which are filed by account: a
 * digest is of no account, so under `digest:<personId>`. The contracts do not reserve the prefix: an
 * account whose id began with `digest:` would be read as a digest by the report (no CRM's ids do).
 */
export function digestPartition(personId: string): string {
  return `${DIGEST_PREFIX}${personId}`;
}

const DIGEST_PREFIX = 'digest:';

/** Whether a dispatch's or an outbox entry's account is a person's digest. */
export function isDigestPartition(accountId: string): boolean {
  return accountId.startsWith(DIGEST_PREFIX);
}
