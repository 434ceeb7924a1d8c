/**
 * Business-time rules (invariant 4): "today", "tomorrow", "next business day" and "09:00" are read in
 * the account's IANA time zone, on business days (Mon–Fri minus the account country's public holidays).
 *
 * Pure and dependency-free on purpose: it runs in every Lambda bundle, which a cold start compiles, so time-zone math
 * uses the runtime's `Intl` (full ICU ships with Node 20) instead of a library. The holiday data is
 * precomputed at build time (see lib/calendar/public-holidays.ts) and passed in as a plain table.
 *
 * Dates without a time are `YYYY-MM-DD` strings: a local calendar date has no instant, so keeping it a
 * string avoids the classic "midnight UTC is yesterday in New York" bug. Calendar arithmetic on those
 * strings is done in UTC, where every day has exactly 24 hours.
 */

/** ISO alpha-2 country (upper case) → sorted local dates `YYYY-MM-DD` that are public holidays. */
import { CLOCK_TIME, COUNTRY_CODE, LOCAL_DATE } from '../../contracts/formats.ts';
export type HolidayTable = Readonly<Record<string, readonly string[]>>;

/** Local wall-clock business hours, `HH:mm`. */
export interface BusinessHours {
  start: string;
  end: string;
}

/** Where an account lives: IANA time zone and ISO alpha-2 country. */
export interface Locality {
  timezone: string;
  country: string;
}

export interface BusinessCalendar {
  localDate(at: Date, timezone: string): string;
  isBusinessDay(date: string, country: string): boolean;
  hasHolidaysFor(country: string, year: number): boolean;
  nextBusinessDay(date: string, country: string): string;
  businessDayOnOrBefore(date: string, country: string): string;
  businessDayOnOrAfter(date: string, country: string): string;
  addBusinessDays(date: string, days: number, country: string): string;
  atLocalTime(date: string, time: string, timezone: string): Date;
  dueToday(at: Date, where: Locality): Date;
  startOfBusinessDay(date: string, where: Locality): Date;
}

const DAY_MS = 86_400_000;

// Safety net: a holiday table can never close more than a few weeks in a row, so a longer search means
// corrupt data; better to fail loudly than to loop forever inside a Lambda.
const MAX_CONSECUTIVE_CLOSED_DAYS = 366;

/** The years a holiday table covers: outside them, a day's public holidays are unknown. */
export interface HolidayYears {
  readonly fromYear: number;
  readonly toYear: number;
}

/**
 * `years`: the years `holidays` covers. A date outside them is counted on weekends alone and reported
 * to `onUncoveredYear` (the deployed functions log it and raise an alarm): a stage that went more than
 * its table's four years without a redeploy keeps creating tasks, a public holiday at worst treated as a
 * business day, instead of refusing work until someone redeploys.
 */
export function createBusinessCalendar(
  holidays: HolidayTable,
  hours: BusinessHours,
  years?: HolidayYears,
  onUncoveredYear?: (year: number, years: HolidayYears) => void,
): BusinessCalendar {
  parseTime(hours.start);
  parseTime(hours.end);
  if (hours.start >= hours.end) {
    throw new RangeError(`Business hours must start before they end: ${hours.start}–${hours.end}`);
  }
  const holidaySets = new Map<string, ReadonlySet<string>>();

  // Sets are built lazily: a Lambda serves a handful of countries, the table may hold dozens.
  function holidaysOf(country: string): ReadonlySet<string> {
    let set = holidaySets.get(country);
    if (!set) {
      set = new Set(holidays[country] ?? []);
      holidaySets.set(country, set);
    }
    return set;
  }

  function isBusinessDay(date: string, country: string): boolean {
    const day = dayOfWeek(date);
    if (day === 0 || day === 6) return false;
    if (!covers(date)) return true;
    return !holidaysOf(normalizeCountry(country)).has(date);
  }

  function covers(date: string): boolean {
    const year = Number(date.slice(0, 4));
    if (!years || (year >= years.fromYear && year <= years.toYear)) return true;
    onUncoveredYear?.(year, years);
    return false;
  }

  function hasHolidaysFor(country: string, year: number): boolean {
    const prefix = `${String(year).padStart(4, '0')}-`;
    return (holidays[normalizeCountry(country)] ?? []).some((date) => date.startsWith(prefix));
  }

  function stepToBusinessDay(date: string, country: string, step: 1 | -1): string {
    let candidate = date;
    for (let i = 0; i <= MAX_CONSECUTIVE_CLOSED_DAYS; i++) {
      if (isBusinessDay(candidate, country)) return candidate;
      candidate = addCalendarDays(candidate, step);
    }
    throw new RangeError(`No business day within a year of ${date} for ${country}`);
  }

  function businessDayOnOrAfter(date: string, country: string): string {
    return stepToBusinessDay(date, country, 1);
  }

  function businessDayOnOrBefore(date: string, country: string): string {
    return stepToBusinessDay(date, country, -1);
  }

  function nextBusinessDay(date: string, country: string): string {
    return businessDayOnOrAfter(addCalendarDays(date, 1), country);
  }

  // `days` counts business days strictly after `date` (Friday + 1 = Monday, Saturday + 1 = Monday);
  // 0 means "the first business day on or after `date`", so Saturday + 0 is also Monday.
  function addBusinessDays(date: string, days: number, country: string): string {
    if (!Number.isSafeInteger(days) || days < 0) {
      throw new RangeError(`Business days must be a non-negative integer: ${days}`);
    }
    if (days === 0) return businessDayOnOrAfter(date, country);
    let result = date;
    for (let i = 0; i < days; i++) result = nextBusinessDay(result, country);
    return result;
  }

  // A task for today is due at closing time: today if we are still before closing on a business day,
  // otherwise at closing time of the next business day (evenings, weekends, holidays).
  function dueToday(at: Date, where: Locality): Date {
    const today = localDate(at, where.timezone);
    const closingToday = atLocalTime(today, hours.end, where.timezone);
    if (isBusinessDay(today, where.country) && at.getTime() < closingToday.getTime()) return closingToday;
    return atLocalTime(nextBusinessDay(today, where.country), hours.end, where.timezone);
  }

  function startOfBusinessDay(date: string, where: Locality): Date {
    return atLocalTime(date, hours.start, where.timezone);
  }

  return {
    localDate,
    isBusinessDay,
    hasHolidaysFor,
    nextBusinessDay,
    businessDayOnOrBefore,
    businessDayOnOrAfter,
    addBusinessDays,
    atLocalTime,
    dueToday,
    startOfBusinessDay,
  };
}

/**
 * `2026-03-30T16:00:00Z`: the instant in UTC to the second, as a Wait state's timestamp. Any offset
 * names the same instant; UTC and whole seconds keep the execution history uniform.
 */
export function formatUtcIso(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError(`Invalid date: ${String(at)}`);
  return new Date(floorToSecond(at)).toISOString().replace(/\.000Z$/, 'Z');
}

/** `2026-03-30T18:00:00+02:00`: local wall time plus the zone's offset at that instant, never `Z`. */
export function formatLocalIso(at: Date, timezone: string): string {
  const wall = wallClockOf(at, timezone);
  const offsetSeconds = Math.round((wall.epochMs - floorToSecond(at)) / 1000);
  const date = `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
  return `${date}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${formatOffset(offsetSeconds)}`;
}

/**
 * The next instant strictly after `now` at which the zone's clocks show `time` (HH:MM): a daily schedule's
 * next start (EventBridge Scheduler's cron in a time zone, and the sandbox's clock that stands for it).
 */
export function nextDailyInstant(now: Date, time: string, timezone: string): Date {
  const today = localDate(now, timezone);
  const at = atLocalTime(today, time, timezone);
  return at.getTime() > now.getTime() ? at : atLocalTime(addCalendarDays(today, 1), time, timezone);
}

/** `YYYY-MM-DD` of the instant in the zone. */
export function localDate(at: Date, timezone: string): string {
  const wall = wallClockOf(at, timezone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/**
 * The instant at which the zone's clocks show `date time`. Offsets are probed a day before and after
 * (no zone moves its clocks twice within a day, and no offset exceeds ±14 h), which gives the one or two
 * candidate instants. Like Temporal's "compatible" disambiguation:
 * - fall-back (wall time happens twice): the earlier instant, i.e. the first time the clock shows it;
 * - spring-forward (wall time never happens): read it with the pre-gap offset, which lands past the gap
 *   shifted by its length (Paris 2026-03-29 02:30 → 03:30+02:00).
 */
export function atLocalTime(date: string, time: string, timezone: string): Date {
  const { year, month, day } = parseDate(date);
  const { hour, minute } = parseTime(time);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute);
  const offsetBefore = offsetMsAt(wallMs - DAY_MS, timezone);
  const offsetAfter = offsetMsAt(wallMs + DAY_MS, timezone);
  const candidates = [wallMs - offsetBefore, wallMs - offsetAfter].sort((a, b) => a - b);
  const existing = candidates.find((instant) => instant + offsetMsAt(instant, timezone) === wallMs);
  return new Date(existing ?? wallMs - offsetBefore);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** The wall clock read as if it were UTC; minus the real instant, it is the zone's offset. */
  epochMs: number;
}

// Building an Intl.DateTimeFormat costs far more than using one, and a warm Lambda reuses them.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23', // 'h24' or hour12 would render midnight as 24
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(timezone)}`);
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

function wallClockOf(at: Date, timezone: string): WallClock {
  const epoch = at.getTime();
  if (Number.isNaN(epoch)) throw new RangeError(`Invalid date: ${String(at)}`);
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(epoch)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
  return { ...wall, epochMs: Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) };
}

function offsetMsAt(epochMs: number, timezone: string): number {
  return wallClockOf(new Date(epochMs), timezone).epochMs - floorToSecond(new Date(epochMs));
}

// Intl drops milliseconds from the wall clock, so the instant must drop them too before subtracting.
function floorToSecond(at: Date): number {
  return Math.floor(at.getTime() / 1000) * 1000;
}

function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hhmm = `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}`;
  // Only pre-1900 local mean times have second offsets; keep them exact rather than silently rounded.
  return abs % 60 === 0 ? hhmm : `${hhmm}:${pad(abs % 60)}`;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = LOCAL_DATE.exec(date);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  const day = Number(match?.[3]);
  // Round-trip through Date.UTC to reject 2026-02-30 and friends, which the pattern lets through
  // (and years 0000–0099, which Date.UTC would silently move to the 1900s).
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!match || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Invalid date, expected YYYY-MM-DD: ${JSON.stringify(date)}`);
  }
  return { year, month, day };
}

function parseTime(time: string): { hour: number; minute: number } {
  const match = CLOCK_TIME.exec(time);
  if (!match) throw new RangeError(`Invalid time, expected HH:mm: ${JSON.stringify(time)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function normalizeCountry(country: string): string {
  const code = country.toUpperCase();
  if (!COUNTRY_CODE.test(code)) throw new RangeError(`Invalid ISO alpha-2 country: ${JSON.stringify(country)}`);
  return code;
}

/** The day of the week of a local date: 0 Sunday … 6 Saturday. */
export function dayOfWeek(date: string): number {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/**
 * `date` plus `days` calendar days (negative: before), on the local date itself: a week before a
 * meeting is 7 dates back, not 168 hours, which a DST change in between would make a day off.
 */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Calendar days must be an integer: ${days}`);
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one `YYYY-MM-DD` to another (negative when `to` is earlier); UTC midnights are 24 h apart, always. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
