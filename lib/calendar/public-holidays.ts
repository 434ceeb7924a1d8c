/**
 * Build-time only: turns `date-holidays` (1.5 MB of rules) into the small `HolidayTable` that the
 * Lambdas receive as plain data. Never import this from functions/: every cold start would compile it.
 */
import Holidays from 'date-holidays';
import type { HolidayTable, HolidayYears } from '../../functions/core/calendar/business-time.ts';

export type { HolidayYears };

const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;

// date-holidays writes a holiday's local start as `YYYY-MM-DD hh:mm:ss`, optionally followed by a shift
// such as ` -0600` for holidays that begin at sunset the evening before (Islamic calendar).
const LOCAL_START_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?$/;

interface DateHolidaysEntry {
  date: string;
  start: Date;
  end: Date;
  type: string;
  name: string;
}


/**
 * The window of years a deployment (or a sandbox run) compiles holidays for, anchored on `anchorYear`
 * (the stack uses the synth-time UTC year): the year before, for tasks computed late in December, to
 * four years ahead, well beyond any deployment's lifetime between two releases. One definition for the
 * stack, the sandbox and the functions (`__PUBLIC_HOLIDAY_YEARS__`), so they cannot disagree.
 */
export function holidayYears(anchorYear: number): HolidayYears {
  if (!Number.isInteger(anchorYear)) throw new RangeError(`Invalid holiday anchor year: ${anchorYear}`);
  return { fromYear: anchorYear - 1, toYear: anchorYear + 4 };
}

/**
 * Public holidays at national level (no states/regions), as sorted, deduplicated local dates per country,
 * for the years `fromYear`..`toYear` inclusive.
 */
export function buildHolidayTable(countries: readonly string[], fromYear: number, toYear: number): HolidayTable {
  // Pure and costly (a few hundred ms for a dozen countries): computed once per process and input.
  const key = `${countries.join(',')}|${fromYear}|${toYear}`;
  let table = tables.get(key);
  if (!table) {
    table = Object.freeze(computeHolidayTable(countries, fromYear, toYear));
    tables.set(key, table);
  }
  return table;
}

const tables = new Map<string, HolidayTable>();

function computeHolidayTable(countries: readonly string[], fromYear: number, toYear: number): HolidayTable {
  assertYearRange(fromYear, toYear);
  const known = new Holidays().getCountries();
  const table: Record<string, readonly string[]> = {};
  for (const requested of countries) {
    const country = requested.toUpperCase();
    // `new Holidays('XX')` silently yields no holidays; an empty list would pass for "no holidays".
    if (!Object.hasOwn(known, country)) throw new Error(`Unknown country for public holidays: ${requested}`);
    table[country] = publicHolidayDates(country, fromYear, toYear);
  }
  return table;
}

function publicHolidayDates(country: string, fromYear: number, toYear: number): readonly string[] {
  const holidays = new Holidays(country); // country only: national holidays, no regional ones
  const dates = new Set<string>();
  // One year earlier too, so a multi-day holiday that starts in late December still closes early January.
  for (let year = fromYear - 1; year <= toYear; year++) {
    for (const entry of holidays.getHolidays(year) as DateHolidaysEntry[]) {
      if (entry.type !== 'public') continue;
      for (const date of closedDates(entry)) {
        const dateYear = Number(date.slice(0, 4));
        if (dateYear >= fromYear && dateYear <= toYear) dates.add(date);
      }
    }
  }
  return [...dates].sort();
}

/**
 * The local dates a holiday closes. Most holidays are one midnight-to-midnight day, but the data also has
 * multi-day ones (Eid al-Fitr is 3 days in AE) and part-day ones (CN 8 March from 12:00, IS 24 Dec from
 * 13:00). A date counts when the holiday covers more than half of it, so half days and the evening-before
 * start of Islamic holidays do not close a whole business day, while a 23 h or 25 h DST day still counts.
 */
function closedDates(entry: DateHolidaysEntry): string[] {
  const localStartMs = parseLocalStart(entry.date);
  // Local wall time read as UTC: day boundaries are plain multiples of DAY_MS.
  const localEndMs = localStartMs + (entry.end.getTime() - entry.start.getTime());
  const dates: string[] = [];
  for (let dayMs = Math.floor(localStartMs / DAY_MS) * DAY_MS; dayMs < localEndMs; dayMs += DAY_MS) {
    const covered = Math.min(localEndMs, dayMs + DAY_MS) - Math.max(localStartMs, dayMs);
    if (covered > HALF_DAY_MS) dates.push(new Date(dayMs).toISOString().slice(0, 10));
  }
  return dates;
}

function parseLocalStart(date: string): number {
  const match = LOCAL_START_PATTERN.exec(date);
  if (!match) throw new Error(`Unexpected date-holidays date format: ${date}`);
  const [, year, month, day, hour, minute, second, , shiftHours, shiftMinutes] = match.map(Number);
  const wallMs = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  if (!match[7]) return wallMs;
  const shiftMs = (shiftHours! * 60 + shiftMinutes!) * 60_000;
  return match[7] === '-' ? wallMs - shiftMs : wallMs + shiftMs;
}

function assertYearRange(fromYear: number, toYear: number): void {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear) {
    throw new RangeError(`Invalid holiday year range: ${fromYear}..${toYear}`);
  }
}
