import { COUNTRY_CODE, LOCAL_DATE } from '../contracts/formats.ts';
import type { HolidayTable, HolidayYears } from '../core/calendar/business-time.ts';

/**
 * The public-holiday table is data computed at synth time from the stage's countries
 * (lib/calendar) and compiled into each bundle by esbuild's `define`: the holiday library and its
 * time-zone database weigh 1.5 MB, five times a Lambda bundle's budget.
 */
declare const __PUBLIC_HOLIDAYS__: HolidayTable | undefined;
declare const __PUBLIC_HOLIDAY_YEARS__: HolidayYears | undefined;

export function bundledHolidayTable(): HolidayTable {
  if (typeof __PUBLIC_HOLIDAYS__ === 'undefined') {
    throw new Error('No public-holiday table was compiled into this bundle (esbuild define __PUBLIC_HOLIDAYS__)');
  }
  assertHolidayTable(__PUBLIC_HOLIDAYS__);
  return __PUBLIC_HOLIDAYS__;
}

/** The years the compiled table covers: the calendar refuses dates beyond them. */
export function bundledHolidayYears(): HolidayYears {
  if (typeof __PUBLIC_HOLIDAY_YEARS__ === 'undefined') {
    throw new Error('No public-holiday years were compiled into this bundle (esbuild define __PUBLIC_HOLIDAY_YEARS__)');
  }
  return __PUBLIC_HOLIDAY_YEARS__;
}

/** A wrongly compiled table (a string, a bad date) would otherwise mean "no holidays", silently. */
export function assertHolidayTable(table: unknown): asserts table is HolidayTable {
  const valid =
    typeof table === 'object' &&
    table !== null &&
    !Array.isArray(table) &&
    Object.entries(table).every(
      ([country, dates]) => COUNTRY_CODE.test(country) && Array.isArray(dates) && dates.every((date) => typeof date === 'string' && LOCAL_DATE.test(date)),
    );
  if (!valid) throw new Error('The compiled public-holiday table is not { COUNTRY: ["YYYY-MM-DD", …] }');
}
