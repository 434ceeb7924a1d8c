import type { HolidayYears } from './business-time.ts';

/**
 * How long a stage's public-holiday table still lasts. The table is compiled into the functions at
 * deploy time (the year before the deploy to four years ahead); a stage nobody redeploys for years
 * would end up counting public holidays as business days (see `createBusinessCalendar`). Ops are
 * warned a year before the last covered day, which leaves every release cycle time to redeploy.
 */
export const HOLIDAY_TABLE_WARNING_DAYS = 365;

const DAY_MS = 86_400_000;

export interface HolidayRunway {
  /** The last day the table covers, `YYYY-12-31`. */
  lastDay: string;
  /** Whole days from `now` to the end of that day (UTC); negative once it is past. */
  daysLeft: number;
  /** Within `HOLIDAY_TABLE_WARNING_DAYS` of its end, or past it: time to redeploy. */
  endsSoon: boolean;
}

export function holidayRunway(years: HolidayYears, now: Date): HolidayRunway {
  const end = Date.UTC(years.toYear + 1, 0, 1);
  const daysLeft = Math.floor((end - now.getTime()) / DAY_MS);
  return { lastDay: `${years.toYear}-12-31`, daysLeft, endsSoon: daysLeft <= HOLIDAY_TABLE_WARNING_DAYS };
}
