import type { HolidayTable } from '../core/calendar/business-time.ts';

/**
 * The public-holiday table is data computed at synth time from the stage's countries
 * (lib/calendar) and compiled into each bundle by esbuild's `define`: the holiday library and its
 * time-zone database weigh 1.5 MB, five times a Lambda bundle's budget.
 */
declare const __PUBLIC_HOLIDAYS__: HolidayTable | undefined;

export function bundledHolidayTable(): HolidayTable {
  if (typeof __PUBLIC_HOLIDAYS__ === 'undefined') {
    throw new Error('No public-holiday table was compiled into this bundle (esbuild define __PUBLIC_HOLIDAYS__)');
  }
  assertHolidayTable(__PUBLIC_HOLIDAYS__);
  return __PUBLIC_HOLIDAYS__;
}

/** A wrongly compiled table (a string, a bad date) would otherwise mean "no holidays", silently. */
export function assertHolidayTable(table: unknown): asserts table is HolidayTable {
  const valid =
    typeof table === 'object' &&
    table !== null &&
    !Array.isArray(table) &&
    Object.entries(table).every(
      ([country, dates]) => /^[A-Z]{2}$/.test(country) && Array.isArray(dates) && dates.every((date) => typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)),
    );
  if (!valid) throw new Error('The compiled public-holiday table is not { COUNTRY: ["YYYY-MM-DD", …] }');
}
