import { COUNTRY_CODE, LOCAL_DATE } from '../contracts/formats.ts';
import type { HolidayTable, HolidayYears } from '../core/calendar/business-time.ts';

/**
 * The public-holiday table is data computed at synth time from the stage's countries
 * (lib/calendar) and compiled into each bundle by esbuild's `define`: the holiday library and its
 * time-zone database weigh 1.5 MB, twice a whole Lambda bundle, which a cold start compiles. It is compiled packed
 * (`packHolidayTable`): 13 countries over 6 years weigh 10 KB as `"YYYY-MM-DD"` strings, 4 KB packed.
 */
declare const __PUBLIC_HOLIDAYS__: PackedHolidayTable | undefined;

/** As compiled into a bundle: country → year → `"MMDD MMDD …"`, 5 bytes a holiday instead of 13. */
export type PackedHolidayTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** At synth time: the table as `define` compiles it. */
export function packHolidayTable(table: HolidayTable): PackedHolidayTable {
  const packed: Record<string, Record<string, string>> = {};
  for (const [country, dates] of Object.entries(table)) {
    const years: Record<string, string[]> = {};
    for (const date of dates) (years[date.slice(0, 4)] ??= []).push(date.slice(5, 7) + date.slice(8, 10));
    packed[country] = Object.fromEntries(Object.entries(years).map(([year, days]) => [year, days.join(' ')]));
  }
  return packed;
}

/** In the bundle: the table back, `{ COUNTRY: ["YYYY-MM-DD", …] }`; anything malformed fails `assertHolidayTable`. */
export function unpackHolidayTable(packed: unknown): unknown {
  if (typeof packed !== 'object' || packed === null || Array.isArray(packed)) return packed;
  return Object.fromEntries(
    Object.entries(packed).map(([country, years]) => [
      country,
      typeof years === 'object' && years !== null && !Array.isArray(years)
        ? Object.entries(years).flatMap(([year, days]) =>
            typeof days === 'string' ? days.split(' ').filter(Boolean).map((day) => `${year}-${day.slice(0, 2)}-${day.slice(2)}`) : [days],
          )
        : years,
    ]),
  );
}
declare const __PUBLIC_HOLIDAY_YEARS__: HolidayYears | undefined;

export function bundledHolidayTable(): HolidayTable {
  if (typeof __PUBLIC_HOLIDAYS__ === 'undefined') {
    throw new Error('No public-holiday table was compiled into this bundle (esbuild define __PUBLIC_HOLIDAYS__)');
  }
  const table = unpackHolidayTable(__PUBLIC_HOLIDAYS__);
  assertHolidayTable(table);
  return table;
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
