import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildHolidayTable, holidayYears } from '../../lib/calendar/public-holidays.ts';

// A sandbox's holiday table is computed by lib/calendar (date-holidays: a second of CPU) once, then
// read from node_modules/.cache by later processes. Each test takes a fresh copy of the module (a new
// process's view) and a country set and year no sandbox of the suite uses, so its cache file is its own.

const COUNTRIES = ['LU', 'MC'];
const ANCHOR = 2042;

async function freshModule() {
  vi.resetModules();
  return import('../../sandbox/runtime/holiday-tables.ts');
}

let file: string | undefined;
afterEach(() => {
  if (file) rmSync(file, { force: true });
});

describe("the sandbox's holiday table", () => {
  it('given no table kept yet, when two processes start, then the first computes and keeps it, and both get what lib/calendar computes', async () => {
    const first = await freshModule();
    file = first.holidayCacheFile(COUNTRIES, ANCHOR)!;
    rmSync(file, { force: true });
    const years = holidayYears(ANCHOR);
    const expected = { table: buildHolidayTable(COUNTRIES, years.fromYear, years.toYear), years };

    expect(await first.sandboxHolidays(COUNTRIES, ANCHOR)).toEqual(expected);
    expect(existsSync(file)).toBe(true);
    expect(await (await freshModule()).sandboxHolidays(COUNTRIES, ANCHOR)).toEqual(expected);
  });

  it('given a kept file that is not a table for these countries (cut short, or another shape), then the table is computed again and the file rewritten', async () => {
    const { holidayCacheFile, sandboxHolidays } = await freshModule();
    file = holidayCacheFile(COUNTRIES, ANCHOR)!;
    const years = holidayYears(ANCHOR);
    const expected = { table: buildHolidayTable(COUNTRIES, years.fromYear, years.toYear), years };
    for (const broken of ['{"table": {"LU": [', JSON.stringify({ table: { LU: [] }, years })]) {
      writeFileSync(file, broken);
      expect(await (await freshModule()).sandboxHolidays(COUNTRIES, ANCHOR)).toEqual(expected);
    }
    expect(await sandboxHolidays(COUNTRIES, ANCHOR)).toEqual(expected);
  });

  it('given another anchor year or other countries, then another file', async () => {
    const { holidayCacheFile } = await freshModule();
    const kept = holidayCacheFile(COUNTRIES, ANCHOR);
    expect(holidayCacheFile(COUNTRIES, ANCHOR + 1)).not.toBe(kept);
    expect(holidayCacheFile(['LU'], ANCHOR)).not.toBe(kept);
  });
});
