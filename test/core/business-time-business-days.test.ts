import { describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../functions/core/calendar/business-time.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';
import { BRUSSELS_NOT_IN_TABLE, calendar, dueTodayLocal, holidays } from '../support/business-calendar.ts';

describe('isBusinessDay: Monday to Friday minus the country public holidays', () => {
  describe('given a French account', () => {
    it.each([
      ['Easter Monday', '2026-04-06'],
      ['Labour Day', '2026-05-01'],
      ['Victory in Europe Day', '2026-05-08'],
      ['Ascension Day', '2026-05-14'],
      ['Whit Monday (date-holidays lists it as public for FR)', '2026-05-25'],
      ['Bastille Day', '2026-07-14'],
      ['Armistice Day', '2026-11-11'],
      ['Christmas Day', '2026-12-25'],
    ])('when the date is %s (%s), a weekday, then it is not a business day', (_name, date) => {
      expect(holidays.FR).toContain(date);
      expect(calendar.isBusinessDay(date, 'FR')).toBe(false);
    });

    it.each([
      ['Assumption Day, a Saturday in 2026', '2026-08-15'],
      ['All Saints’ Day, a Sunday in 2026', '2026-11-01'],
    ])('when the date is %s (%s), then it is in the table and, with no substitute day in France, Monday is open', (_name, date) => {
      expect(holidays.FR).toContain(date);
      expect(calendar.isBusinessDay(date, 'FR')).toBe(false);
      expect(calendar.nextBusinessDay(date, 'FR')).toBe(date === '2026-08-15' ? '2026-08-17' : '2026-11-02');
    });

    it('when listing 2026, then the national public holidays are exactly the eleven the data says', () => {
      expect(holidays.FR?.filter((date) => date.startsWith('2026-'))).toEqual([
        '2026-01-01',
        '2026-04-06',
        '2026-05-01',
        '2026-05-08',
        '2026-05-14',
        '2026-05-25',
        '2026-07-14',
        '2026-08-15',
        '2026-11-01',
        '2026-11-11',
        '2026-12-25',
      ]);
    });

    it('when the date is Good Friday, then it is a business day in France (national level) but not in Germany', () => {
      expect(calendar.isBusinessDay('2026-04-03', 'FR')).toBe(true);
      expect(calendar.isBusinessDay('2026-04-03', 'DE')).toBe(false);
    });

    it('when the date is an ordinary Wednesday, then it is a business day', () => {
      expect(calendar.isBusinessDay('2026-06-10', 'FR')).toBe(true);
    });

    it('when the date is a Saturday or a Sunday, then it is not a business day', () => {
      expect(calendar.isBusinessDay('2026-06-06', 'FR')).toBe(false);
      expect(calendar.isBusinessDay('2026-06-07', 'FR')).toBe(false);
    });

    it('when the country code is lower case, then it reads the same table', () => {
      expect(calendar.isBusinessDay('2026-07-14', 'fr')).toBe(false);
    });
  });

  describe('given a US account', () => {
    it('when the date is Thanksgiving 2026-11-26, then it is not a business day, but the day after is', () => {
      expect(calendar.isBusinessDay('2026-11-26', 'US')).toBe(false);
      expect(calendar.isBusinessDay('2026-11-27', 'US')).toBe(true);
    });

    it('when Independence Day falls on a Saturday, then the observed Friday 2026-07-03 is not a business day', () => {
      expect(calendar.isBusinessDay('2026-07-03', 'US')).toBe(false);
    });
  });

  describe('given a country missing from the holiday table (Belgium)', () => {
    it('when asked about holiday coverage, then it says there is none', () => {
      expect(calendar.hasHolidaysFor('BE', 2026)).toBe(false);
    });

    it('when the date is the Belgian National Day (Tuesday 21 July), then it falls back to weekends only and is a business day', () => {
      expect(calendar.isBusinessDay('2026-07-21', 'BE')).toBe(true);
      expect(calendar.isBusinessDay('2026-07-25', 'BE')).toBe(false);
    });

    it('when a task for today is created on Friday evening, then it is due on Monday at 18:00 Brussels time', () => {
      expect(dueTodayLocal('2026-07-17T19:00:00+02:00', BRUSSELS_NOT_IN_TABLE)).toBe('2026-07-20T18:00:00+02:00');
    });
  });

  describe('given the table was built for 2025–2027', () => {
    it('when asked about France in 2026, then holidays are known; in 2030 they are not', () => {
      expect(calendar.hasHolidaysFor('FR', 2026)).toBe(true);
      expect(calendar.hasHolidaysFor('FR', 2030)).toBe(false);
    });
  });
});

describe('navigating business days', () => {
  describe('given a French account', () => {
    it('when asking for the business day on or before a Sunday, then it is the Friday', () => {
      expect(calendar.businessDayOnOrBefore('2026-06-07', 'FR')).toBe('2026-06-05');
    });

    it('when asking for the business day on or before Easter Monday, then it is the Friday before Easter', () => {
      expect(calendar.businessDayOnOrBefore('2026-04-06', 'FR')).toBe('2026-04-03');
    });

    it('when asking for the business day on or after a Sunday, then it is the Monday', () => {
      expect(calendar.businessDayOnOrAfter('2026-06-07', 'FR')).toBe('2026-06-08');
    });

    it('when the date already is a business day, then on-or-before and on-or-after return it unchanged', () => {
      expect(calendar.businessDayOnOrBefore('2026-06-10', 'FR')).toBe('2026-06-10');
      expect(calendar.businessDayOnOrAfter('2026-06-10', 'FR')).toBe('2026-06-10');
    });

    it('when asking for the next business day after a business day, then it is strictly later', () => {
      expect(calendar.nextBusinessDay('2026-06-10', 'FR')).toBe('2026-06-11');
    });

    it('when asking for the next business day after the Friday before Whit Monday, then it is Tuesday', () => {
      expect(calendar.nextBusinessDay('2026-05-22', 'FR')).toBe('2026-05-26');
    });

    it('when asking for the next business day across a year boundary, then it skips New Year’s Day', () => {
      expect(calendar.nextBusinessDay('2026-12-31', 'FR')).toBe('2027-01-04');
    });
  });

  describe('addBusinessDays', () => {
    it('given a Friday, when adding 1 business day, then it is the Monday', () => {
      expect(calendar.addBusinessDays('2026-06-05', 1, 'FR')).toBe('2026-06-08');
    });

    it('given the Thursday before Easter, when adding 2 business days, then the weekend and Easter Monday are skipped', () => {
      expect(calendar.addBusinessDays('2026-04-02', 2, 'FR')).toBe('2026-04-07');
    });

    it('given the Wednesday before Ascension, when adding 1 business day, then it is the Friday', () => {
      expect(calendar.addBusinessDays('2026-05-13', 1, 'FR')).toBe('2026-05-15');
    });

    it('given a business day, when adding 0 business days, then it is the same day', () => {
      expect(calendar.addBusinessDays('2026-06-10', 0, 'FR')).toBe('2026-06-10');
    });

    it('given a Saturday, when adding 0 or 1 business days, then both land on Monday', () => {
      expect(calendar.addBusinessDays('2026-06-06', 0, 'FR')).toBe('2026-06-08');
      expect(calendar.addBusinessDays('2026-06-06', 1, 'FR')).toBe('2026-06-08');
    });

    it('given a US account, when adding 1 business day to the Wednesday before Thanksgiving, then it is the Friday', () => {
      expect(calendar.addBusinessDays('2026-11-25', 1, 'US')).toBe('2026-11-27');
    });

    it('given a negative or fractional number of days, then it throws with the bad value', () => {
      expect(() => calendar.addBusinessDays('2026-06-10', -1, 'FR')).toThrow(/-1/);
      expect(() => calendar.addBusinessDays('2026-06-10', 1.5, 'FR')).toThrow(/1\.5/);
    });
  });
});

describe('the years a holiday table covers', () => {
  const covered = createBusinessCalendar(buildHolidayTable(['FR'], 2025, 2027), { start: '09:00', end: '18:00' }, { fromYear: 2025, toYear: 2027 });

  it('given a table for 2025–2027, when a date in 2027 is checked, then its holidays count', () => {
    expect(covered.isBusinessDay('2027-07-14', 'FR')).toBe(false);
  });

  it('given a table for 2025–2027, when a date in 2028 is checked, then it counts weekends only (never a refusal) and reports the year once per check', () => {
    const uncovered: number[] = [];
    const reporting = createBusinessCalendar(buildHolidayTable(['FR'], 2025, 2027), { start: '09:00', end: '18:00' }, { fromYear: 2025, toYear: 2027 }, (year) => uncovered.push(year));
    expect(reporting.isBusinessDay('2028-07-14', 'FR')).toBe(true);
    expect(reporting.isBusinessDay('2028-07-15', 'FR')).toBe(false);
    expect(reporting.addBusinessDays('2027-12-30', 2, 'FR')).toBe('2028-01-03');
    expect(uncovered).toEqual([2028, 2028]);
  });

  it('given a table for 2025–2027, when a date in 2019 is checked, then it is a weekday like any other: nothing guesses history either', () => {
    expect(covered.isBusinessDay('2019-07-15', 'FR')).toBe(true);
    expect(covered.isBusinessDay('2019-07-13', 'FR')).toBe(false);
  });
});
