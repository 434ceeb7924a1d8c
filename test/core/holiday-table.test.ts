import { describe, expect, it } from 'vitest';
import { assertHolidayTable } from '../../functions/runtime/holidays.ts';

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
