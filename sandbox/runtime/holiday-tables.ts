/**
 * The sandbox's public-holiday table, computed once and then read from node_modules/.cache.
 *
 * The stack compiles the table at synth (lib/calendar/public-holidays.ts, from `date-holidays`); a
 * sandbox computes it when it starts, which cost every `playbooks simulate`, `npm start` and test
 * process about a second of CPU (loading date-holidays' rules, then running them for each country and
 * year). The table depends only on the countries, the anchor year, that code and the installed
 * packages, so a process keys it by all four and reuses what an earlier one wrote. On a hit neither
 * date-holidays nor lib/calendar is loaded.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HolidayTable, HolidayYears } from '../../functions/core/calendar/business-time.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

export interface SandboxHolidays {
  table: HolidayTable;
  years: HolidayYears;
}

const CALENDAR_CODE = path.join(PROJECT_ROOT, 'lib', 'calendar');
/** npm's record of the installed tree: a reinstall with other versions of date-holidays (or its parser) changes it. */
const INSTALLED_TREE = path.join(PROJECT_ROOT, 'node_modules', '.package-lock.json');
const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'cs-playbooks', 'holidays');

/** The holiday window anchored on `anchorYear` (`holidayYears`) and its table for `countries`. */
export async function sandboxHolidays(countries: readonly string[], anchorYear: number): Promise<SandboxHolidays> {
  const file = holidayCacheFile(countries, anchorYear);
  const cached = file ? readCached(file, countries) : undefined;
  if (cached) return cached;
  const { buildHolidayTable, holidayYears } = await import('../../lib/calendar/public-holidays.ts');
  const years = holidayYears(anchorYear);
  const computed = { table: buildHolidayTable(countries, years.fromYear, years.toYear), years };
  if (file) write(file, computed);
  return computed;
}

/** Where the table of `countries` for `anchorYear` is kept; undefined when the installed tree cannot be identified (no npm install record): then nothing is cached. */
export function holidayCacheFile(countries: readonly string[], anchorYear: number): string | undefined {
  if (!existsSync(INSTALLED_TREE)) return undefined;
  const hash = createHash('sha256').update(readFileSync(INSTALLED_TREE));
  for (const name of readdirSync(CALENDAR_CODE).sort()) hash.update(name).update(readFileSync(path.join(CALENDAR_CODE, name)));
  hash.update(JSON.stringify({ countries, anchorYear }));
  return path.join(CACHE_DIR, `${hash.digest('hex')}.json`);
}

/** The cached table, unless absent or not a table for these countries (then it is computed again). */
function readCached(file: string, countries: readonly string[]): SandboxHolidays | undefined {
  let cached: Partial<SandboxHolidays>;
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxHolidays>;
  } catch {
    return undefined;
  }
  const { table, years } = cached;
  const complete = typeof years?.fromYear === 'number' && typeof years.toYear === 'number' && typeof table === 'object' && table !== null && countries.every((country) => Array.isArray(table[country.toUpperCase()]));
  return complete ? { table: Object.freeze(table), years } : undefined;
}

function write(file: string, holidays: SandboxHolidays): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Temp file + rename: a concurrent reader (a vitest worker) never reads half a table.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(holidays));
    renameSync(temp, file);
  } catch {
    // A read-only node_modules only costs the next process the computation.
  }
}
