import { addCalendarDays, daysBetween } from '../calendar/business-time.ts';

/**
 * Product usage (docs/playbooks.md, usage): what one use of the product changes, and what an account's
 * recent days say. Days are the account's local dates (`YYYY-MM-DD`): "idle 30 days", "this week",
 * "came back after 30 days" are counted in them. Pure: functions/adapters/usage-records.ts keeps the
 * state in the ledger, functions/usage/ reads and writes it.
 */

/** How many days of a contact's activity are kept: the 4 weeks before this one, and this one. */
export const USAGE_WINDOW_DAYS = 35;

/** What the ledger held about a contact before this use: the days they used the product (the window's), the features they ever used. */
export interface ContactUsage {
  days: readonly string[];
  features: readonly string[];
}

/** One use, or a day's roll-up, of a contact: the local day and the features used. */
export interface Use {
  day: string;
  features: readonly string[];
}

/** What a use says that the playbooks act on: the transitions, never the counts. */
export interface UsageNews {
  /** The contact's first use of the product ever. */
  firstUse: boolean;
  /** Their first use on that day: the account's active users of the day count them once. */
  firstUseOfDay: boolean;
  /** Features they had never used, in the order given. */
  newFeatures: string[];
  /** Days without use before this one, when they come back after at least `welcomeBackAfterDays`. */
  returnedAfterDays?: number;
}

/**
 * What a use tells, given what the ledger held before it (`before`: undefined for a contact never
 * seen). A use on a day already counted tells nothing new, however often it is delivered; a use older
 * than the contact's latest day is no return.
 */
export function newsOf(before: ContactUsage | undefined, use: Use, welcomeBackAfterDays: number): UsageNews {
  const days = new Set(before?.days ?? []);
  const features = new Set(before?.features ?? []);
  const lastDay = latest(before?.days ?? []);
  const idle = lastDay === undefined ? undefined : daysBetween(lastDay, use.day) - 1;
  return {
    firstUse: before === undefined,
    firstUseOfDay: !days.has(use.day),
    newFeatures: [...new Set(use.features)].filter((feature) => !features.has(feature)),
    ...(idle !== undefined && idle >= welcomeBackAfterDays ? { returnedAfterDays: idle } : {}),
  };
}

/**
 * The days a use on `day` lets the ledger forget of a contact's activity: those from USAGE_WINDOW_DAYS
 * to 3 × USAGE_WINDOW_DAYS days before it (a contact's item stays small; its latest day is never among them).
 */
export function daysToForget(day: string): string[] {
  return Array.from({ length: 2 * USAGE_WINDOW_DAYS }, (_, i) => addCalendarDays(day, -(USAGE_WINDOW_DAYS + i)));
}

/** An account's active users on each day it was used (each active user counted once a day). */
export interface ActiveDay {
  day: string;
  users: number;
}

/** Activity over a span of days: on how many days, and how many users summed over those days. */
export interface Activity {
  activeDays: number;
  userDays: number;
  /** The account's business days in the span (a week with a public holiday has four), when the calendar is given. */
  businessDays?: number;
}

/** What an account's recent days say, as of `today`: "idle since when" and "this week against the 4 weeks before". */
export interface UsageWindow {
  /** The last day the account was used, if any is on record. */
  lastActiveDay?: string;
  /** Whole days without use since, today excluded (0: used yesterday or today). */
  idleDays?: number;
  /** The 7 days before today. */
  thisWeek: Activity;
  /** The 4 weeks before that, per week. */
  fourWeekAverage: Activity;
}

/**
 * The window of `days` (an account's active days, any order) as of `today`: this week is the 7 whole
 * days before today, the average the 28 before those, divided by 4. `lastActiveDay`: the latest day
 * on record, which may be older than the window.
 */
export function usageWindow(days: readonly ActiveDay[], today: string, lastActiveDay?: string, isBusinessDay?: (day: string) => boolean): UsageWindow {
  const span = (from: number, to: number) => days.filter(({ day }) => day >= addCalendarDays(today, -to) && day <= addCalendarDays(today, -from));
  const businessDays = (from: number, to: number) =>
    isBusinessDay ? { businessDays: Array.from({ length: to - from + 1 }, (_, i) => addCalendarDays(today, -(from + i))).filter(isBusinessDay).length } : {};
  const activity = (list: readonly ActiveDay[]): Activity => ({ activeDays: list.length, userDays: list.reduce((sum, { users }) => sum + users, 0) });
  const before = { ...activity(span(8, 35)), ...businessDays(8, 35) };
  const last = latest([...days.map(({ day }) => day), ...(lastActiveDay ? [lastActiveDay] : [])].filter((day) => day <= today));
  return {
    ...(last !== undefined ? { lastActiveDay: last, idleDays: Math.max(0, daysBetween(last, today) - 1) } : {}),
    thisWeek: { ...activity(span(1, 7)), ...businessDays(1, 7) },
    fourWeekAverage: {
      activeDays: before.activeDays / 4,
      userDays: before.userDays / 4,
      ...(before.businessDays !== undefined ? { businessDays: before.businessDays / 4 } : {}),
    },
  };
}

/**
 * A span's use per day: user-days per business day when the account's calendar was given (a week with a
 * public holiday has four), per calendar day otherwise. What weeks are compared on, everywhere.
 */
export function dailyUse(activity: Activity): number {
  return activity.userDays / (activity.businessDays || 7);
}

/**
 * Why an account's usage calls for its CSM, if it does: idle for `accountIdleDays`, or used this week
 * but below `dropRatio` of the 4-week average. A week without any use is no fall: it starts an idle
 * spell, which the idle rule counts, so one episode is raised once, as idle. With the account's
 * business days known, weeks compare per business day: a week with a public holiday is not a fall.
 */
export type AccountDrop = { kind: 'idle'; idleDays: number } | { kind: 'drop'; ratio: number };

export function accountDrop(window: UsageWindow, { accountIdleDays, dropRatio }: { accountIdleDays: number; dropRatio: number }): AccountDrop | undefined {
  if (window.idleDays !== undefined && window.idleDays >= accountIdleDays) return { kind: 'idle', idleDays: window.idleDays };
  const average = window.fourWeekAverage.userDays;
  // No average, no drop: an account new to the product has no usual week yet.
  if (average === 0 || window.thisWeek.userDays === 0) return undefined;
  const ratio = dailyUse(window.thisWeek) / dailyUse(window.fourWeekAverage);
  return ratio < dropRatio ? { kind: 'drop', ratio: Math.round(ratio * 100) / 100 } : undefined;
}

function latest(days: readonly string[]): string | undefined {
  return days.reduce<string | undefined>((max, day) => (max === undefined || day > max ? day : max), undefined);
}
