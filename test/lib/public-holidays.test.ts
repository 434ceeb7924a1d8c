import { describe, expect, it } from 'vitest';
import { buildHolidayTable, holidayYears } from '../../lib/calendar/public-holidays.ts';

const table = buildHolidayTable(['FR', 'US', 'DE', 'IN'], 2025, 2027);

describe('buildHolidayTable: national public holidays from date-holidays, as local dates', () => {
  describe('given France, the United States, Germany and India for 2025–2027', () => {
    it('when reading France, then Bastille Day 2026-07-14 is there', () => {
      expect(table.FR).toContain('2026-07-14');
    });

    it('when reading any country, then its dates are YYYY-MM-DD, sorted, unique and within 2025–2027', () => {
      expect(Object.keys(table).sort()).toEqual(['DE', 'FR', 'IN', 'US']);
      for (const dates of Object.values(table)) {
        expect(dates.length).toBeGreaterThan(0);
        expect([...new Set(dates)].sort()).toEqual(dates);
        for (const date of dates) expect(date).toMatch(/^202[5-7]-\d{2}-\d{2}$/);
      }
    });

    it('when reading France, then Whit Monday 2026-05-25 counts as public but Whit Sunday (an observance) does not', () => {
      expect(table.FR).toContain('2026-05-25');
      expect(table.FR).not.toContain('2026-05-24');
    });

    it('when reading the United States, then Thanksgiving 2026-11-26 is there but the day after (an observance) is not', () => {
      expect(table.US).toContain('2026-11-26');
      expect(table.US).not.toContain('2026-11-27');
    });

    it('when a US holiday falls on a weekend, then the observed weekday is there too, even across the year boundary', () => {
      expect(table.US).toEqual(expect.arrayContaining(['2026-07-03', '2026-07-04'])); // 4 July 2026 is a Saturday
      expect(table.US).toContain('2027-12-31'); // New Year 2028 is a Saturday, observed on Friday 31 December 2027
    });

    it('when reading Germany, then only nationwide holidays are there: not the regional Epiphany or Corpus Christi', () => {
      expect(table.DE).toEqual(expect.arrayContaining(['2026-04-03', '2026-10-03']));
      expect(table.DE).not.toContain('2026-01-06');
      expect(table.DE).not.toContain('2026-06-04');
    });

    it('when reading Germany, then the Christmas Eve half-day (a bank holiday, not public) is not there', () => {
      expect(table.DE).not.toContain('2026-12-24');
      expect(table.DE).toEqual(expect.arrayContaining(['2026-12-25', '2026-12-26']));
    });

    it('when reading India, then the national days (Republic Day, Independence Day, Gandhi Jayanti) are there', () => {
      expect(table.IN).toEqual(expect.arrayContaining(['2026-01-26', '2026-08-15', '2026-10-02']));
    });
  });

  describe('given holidays that are not one whole day', () => {
    const shaped = buildHolidayTable(['AE', 'IS'], 2026, 2026);

    it('when a holiday lasts three days (Eid al-Fitr in the UAE), then each day is closed but not the eve it starts on at sunset', () => {
      expect(shaped.AE).toEqual(expect.arrayContaining(['2026-03-20', '2026-03-21', '2026-03-22']));
      expect(shaped.AE).not.toContain('2026-03-19');
    });

    it('when a public holiday is only an afternoon (Iceland, 24 December from 13:00), then the day stays open', () => {
      expect(shaped.IS).not.toContain('2026-12-24');
      expect(shaped.IS).toContain('2026-12-25');
    });
  });

  describe('given invalid input', () => {
    it('when a country code is unknown, then it throws naming it', () => {
      expect(() => buildHolidayTable(['FR', 'XX'], 2026, 2026)).toThrow(/XX/);
    });

    it('when a country code is lower case, then it is keyed in upper case', () => {
      expect(Object.keys(buildHolidayTable(['fr'], 2026, 2026))).toEqual(['FR']);
    });

    it('when the year range is reversed, then it throws with the range', () => {
      expect(() => buildHolidayTable(['FR'], 2027, 2025)).toThrow(/2027\.\.2025/);
    });
  });
});

describe('holidayYears: the window a deployment or a sandbox run compiles holidays for', () => {
  it('given an anchor year, then the window is the year before to four years ahead', () => {
    expect(holidayYears(2026)).toEqual({ fromYear: 2025, toYear: 2030 });
    expect(holidayYears(2030)).toEqual({ fromYear: 2029, toYear: 2034 });
  });

  it('given a window, then buildHolidayTable accepts it and its dates span exactly those years', () => {
    const { fromYear, toYear } = holidayYears(2026);
    const fr = buildHolidayTable(['FR'], fromYear, toYear).FR!;
    expect([fr[0], fr.at(-1)]).toEqual(['2025-01-01', '2030-12-25']);
  });

  it('given an anchor that is not a whole year, then it throws', () => {
    expect(() => holidayYears(2026.5)).toThrow(RangeError);
    expect(() => holidayYears(Number.NaN)).toThrow(RangeError);
  });
});
