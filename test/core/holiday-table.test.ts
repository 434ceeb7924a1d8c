import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/settings.ts';
import { assertHolidayTable, packHolidayTable, unpackHolidayTable } from '../../functions/runtime/holidays.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';

describe('the holiday table compiled into a bundle', () => {
  it('given a table of countries and local dates, then it is accepted', () => {
    expect(() => assertHolidayTable({ FR: ['2026-07-14', '2026-11-11'], US: [] })).not.toThrow();
  });

  it.each([['a JSON string', '{"FR":["2026-07-14"]}'], ['a bad date', { FR: ['14/07/2026'] }], ['a lower-case country', { fr: ['2026-07-14'] }], ['null', null]])(
    'given %s, then it is refused instead of meaning "no holidays"',
    (_what, table) => {
      expect(() => assertHolidayTable(table)).toThrow(/public-holiday table/);
    },
  );
});

describe('the holiday table as compiled: packed by year, 5 bytes a holiday', () => {
  const table = { FR: ['2026-01-01', '2026-07-14', '2027-01-01'], US: [] };

  it('given a table, when packed, then each country holds its years and their MMDD days, and it unpacks to the same table', () => {
    expect(packHolidayTable(table)).toEqual({ FR: { 2026: '0101 0714', 2027: '0101' }, US: {} });
    expect(unpackHolidayTable(packHolidayTable(table))).toEqual(table);
  });

  it('given the table of the 13 default countries over 6 years, then it round-trips, and packed it weighs under half the JSON', () => {
    const full = buildHolidayTable(resolveSettings().calendar.countries, 2025, 2030);
    expect(unpackHolidayTable(packHolidayTable(full))).toEqual(full);
    expect(JSON.stringify(packHolidayTable(full)).length).toBeLessThan(JSON.stringify(full).length / 2);
  });

  it.each([['a string', '{"FR":{"2026":"0714"}}'], ['a bad day', { FR: { 2026: '14-07' } }], ['a list where years belong', { FR: ['2026-07-14', 3] }]])(
    'given %s compiled in, then unpacking leaves it refused',
    (_what, packed) => {
      expect(() => assertHolidayTable(unpackHolidayTable(packed))).toThrow(/public-holiday table/);
    },
  );
});
