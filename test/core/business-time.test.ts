import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../functions/contracts/settings.ts';
import {
  createBusinessCalendar,
  formatLocalIso,
  type Locality,
} from '../../functions/core/calendar/business-time.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';

// Real data from date-holidays, built once the way the deployment builds it.
const holidays = buildHolidayTable(['FR', 'US', 'DE', 'IN'], 2025, 2027);
const calendar = createBusinessCalendar(holidays, { start: '09:00', end: '18:00' });

const PARIS: Locality = { timezone: 'Europe/Paris', country: 'FR' };
const NEW_YORK: Locality = { timezone: 'America/New_York', country: 'US' };
const KOLKATA: Locality = { timezone: 'Asia/Kolkata', country: 'IN' };
const BRUSSELS_NOT_IN_TABLE: Locality = { timezone: 'Europe/Brussels', country: 'BE' };

/** When is a task "for today", created at this instant, due? Read back in the account's zone. */
function dueTodayLocal(createdAt: string, where: Locality): string {
  return formatLocalIso(calendar.dueToday(new Date(createdAt), where), where.timezone);
}

describe('dueToday: a task for today is due at 18:00 local on a business day', () => {
  describe('given an account in Paris', () => {
    it('when a task for today is created on Monday at 07:00, then it is due on Monday at 18:00', () => {
      expect(dueTodayLocal('2026-03-30T07:00:00+02:00', PARIS)).toBe('2026-03-30T18:00:00+02:00');
    });

    it('when a task for today is created on Monday at 17:59:59, then it is due on Monday at 18:00', () => {
      expect(dueTodayLocal('2026-03-30T17:59:59+02:00', PARIS)).toBe('2026-03-30T18:00:00+02:00');
    });

    it('when a task for today is created on Monday at exactly 18:00, then it is due on Tuesday at 18:00', () => {
      expect(dueTodayLocal('2026-03-30T18:00:00+02:00', PARIS)).toBe('2026-03-31T18:00:00+02:00');
    });

    it('when a task for today is created on Monday at 18:30, then it is due on Tuesday at 18:00', () => {
      expect(dueTodayLocal('2026-03-30T18:30:00+02:00', PARIS)).toBe('2026-03-31T18:00:00+02:00');
    });

    it('when a task for today is created on Friday at 18:30, then it is due on Monday at 18:00 (after the clocks went forward)', () => {
      expect(dueTodayLocal('2026-03-27T18:30:00+01:00', PARIS)).toBe('2026-03-30T18:00:00+02:00');
    });

    it('when a task for today is created on Saturday, then it is due on Monday at 18:00', () => {
      expect(dueTodayLocal('2026-06-06T10:00:00+02:00', PARIS)).toBe('2026-06-08T18:00:00+02:00');
    });

    it('when a task for today is created on Sunday at 23:59, then it is due on Monday at 18:00', () => {
      expect(dueTodayLocal('2026-06-07T23:59:00+02:00', PARIS)).toBe('2026-06-08T18:00:00+02:00');
    });

    it('when a task is created at 22:30 UTC on Monday, which is already Tuesday 00:30 in Paris, then it is due on Tuesday at 18:00', () => {
      expect(dueTodayLocal('2026-03-30T22:30:00Z', PARIS)).toBe('2026-03-31T18:00:00+02:00');
    });

    it('when a task for today is created the evening before Ascension (Thursday), then it is due on Friday at 18:00', () => {
      expect(dueTodayLocal('2026-05-13T19:00:00+02:00', PARIS)).toBe('2026-05-15T18:00:00+02:00');
    });

    it('when a task for today is created on Friday evening before Easter Monday, then it is due on Tuesday at 18:00', () => {
      expect(dueTodayLocal('2026-04-03T18:30:00+02:00', PARIS)).toBe('2026-04-07T18:00:00+02:00');
    });

    it('when a task for today is created on 14 July (a Tuesday) in the morning, then it is due on Wednesday at 18:00', () => {
      expect(dueTodayLocal('2026-07-14T10:00:00+02:00', PARIS)).toBe('2026-07-15T18:00:00+02:00');
    });

    it('when a task for today is created on Christmas Eve evening, then it is due after Christmas and the weekend, on Monday 28 December', () => {
      expect(dueTodayLocal('2026-12-24T19:00:00+01:00', PARIS)).toBe('2026-12-28T18:00:00+01:00');
    });
  });

  describe('given an account in New York', () => {
    it('when a task for today is created on the Wednesday evening before Thanksgiving, then it is due on Friday 27 November at 18:00', () => {
      expect(dueTodayLocal('2026-11-25T19:00:00-05:00', NEW_YORK)).toBe('2026-11-27T18:00:00-05:00');
    });

    it('when a task for today is created on Thanksgiving morning, then it is due on Friday at 18:00', () => {
      expect(dueTodayLocal('2026-11-26T09:00:00-05:00', NEW_YORK)).toBe('2026-11-27T18:00:00-05:00');
    });

    it('when a task for today is created on Tuesday at 20:00 New York time (already Wednesday in UTC), then it is due on Wednesday at 18:00', () => {
      expect(dueTodayLocal('2026-06-10T00:00:00Z', NEW_YORK)).toBe('2026-06-10T18:00:00-04:00');
    });
  });

  describe('given an account in Kolkata', () => {
    it('when a task for today is created on Friday evening before Republic Day (Monday 26 January 2026), then it is due on Tuesday at 18:00 +05:30', () => {
      expect(dueTodayLocal('2026-01-23T19:00:00+05:30', KOLKATA)).toBe('2026-01-27T18:00:00+05:30');
    });
  });

  describe('given custom business hours 08:30–17:00', () => {
    const earlyCalendar = createBusinessCalendar(holidays, { start: '08:30', end: '17:00' });

    it('when a task for today is created at 17:15, then it is due the next business day at 17:00', () => {
      const due = earlyCalendar.dueToday(new Date('2026-03-30T17:15:00+02:00'), PARIS);
      expect(formatLocalIso(due, PARIS.timezone)).toBe('2026-03-31T17:00:00+02:00');
    });
  });
});

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

describe('atLocalTime: a wall-clock time in the account zone becomes an instant', () => {
  it('given Paris in winter, when asking for 09:00, then it is 08:00 UTC', () => {
    expect(calendar.atLocalTime('2026-01-15', '09:00', 'Europe/Paris').toISOString()).toBe('2026-01-15T08:00:00.000Z');
  });

  it('given Paris in summer, when asking for 09:00, then it is 07:00 UTC', () => {
    expect(calendar.atLocalTime('2026-07-15', '09:00', 'Europe/Paris').toISOString()).toBe('2026-07-15T07:00:00.000Z');
  });

  it('given Kolkata, when asking for 09:00, then it is 03:30 UTC', () => {
    expect(calendar.atLocalTime('2026-07-01', '09:00', 'Asia/Kolkata').toISOString()).toBe('2026-07-01T03:30:00.000Z');
  });

  describe('given the Paris spring-forward on 2026-03-29 (02:00 → 03:00)', () => {
    it('when asking for 02:30, which does not exist, then it moves forward past the gap to 03:30 +02:00', () => {
      const instant = calendar.atLocalTime('2026-03-29', '02:30', 'Europe/Paris');
      expect(instant.toISOString()).toBe('2026-03-29T01:30:00.000Z');
      expect(formatLocalIso(instant, 'Europe/Paris')).toBe('2026-03-29T03:30:00+02:00');
    });

    it('when asking for 01:59 and 03:00, the last minute before and the first after the gap, then they are one minute apart', () => {
      expect(formatLocalIso(calendar.atLocalTime('2026-03-29', '01:59', 'Europe/Paris'), 'Europe/Paris')).toBe(
        '2026-03-29T01:59:00+01:00',
      );
      expect(formatLocalIso(calendar.atLocalTime('2026-03-29', '03:00', 'Europe/Paris'), 'Europe/Paris')).toBe(
        '2026-03-29T03:00:00+02:00',
      );
    });
  });

  describe('given the Paris fall-back on 2026-10-25 (03:00 → 02:00)', () => {
    it('when asking for 02:30, which happens twice, then it is the first (earlier) one at +02:00', () => {
      const instant = calendar.atLocalTime('2026-10-25', '02:30', 'Europe/Paris');
      expect(instant.toISOString()).toBe('2026-10-25T00:30:00.000Z');
      expect(formatLocalIso(instant, 'Europe/Paris')).toBe('2026-10-25T02:30:00+02:00');
    });

    it('when asking for 03:00, after the repeated hour, then it is unambiguous at +01:00', () => {
      expect(calendar.atLocalTime('2026-10-25', '03:00', 'Europe/Paris').toISOString()).toBe('2026-10-25T02:00:00.000Z');
    });
  });

  it('given New York spring-forward on 2026-03-08, when asking for 02:30, then it is 03:30 -04:00', () => {
    const instant = calendar.atLocalTime('2026-03-08', '02:30', 'America/New_York');
    expect(formatLocalIso(instant, 'America/New_York')).toBe('2026-03-08T03:30:00-04:00');
  });

  it('given Santiago, whose clocks skip midnight on 2026-09-06, when asking for 00:00, then it is 01:00 -03:00', () => {
    const instant = calendar.atLocalTime('2026-09-06', '00:00', 'America/Santiago');
    expect(formatLocalIso(instant, 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
  });

  it('given a business day in Kolkata, when asking for its start, then it is 09:00 +05:30', () => {
    const start = calendar.startOfBusinessDay('2026-07-01', KOLKATA);
    expect(formatLocalIso(start, KOLKATA.timezone)).toBe('2026-07-01T09:00:00+05:30');
  });

  it('given the default business hours, when asking for the start of a Paris business day, then it is 09:00', () => {
    const defaultCalendar = createBusinessCalendar(holidays, DEFAULT_SETTINGS.businessHours);
    expect(formatLocalIso(defaultCalendar.startOfBusinessDay('2026-03-30', PARIS), PARIS.timezone)).toBe(
      '2026-03-30T09:00:00+02:00',
    );
  });
});

describe('localDate: the calendar date of an instant in the account zone', () => {
  it('given 22:30 UTC on 30 March, then it is already 31 March in Paris but still 30 March in New York', () => {
    const at = new Date('2026-03-30T22:30:00Z');
    expect(calendar.localDate(at, 'Europe/Paris')).toBe('2026-03-31');
    expect(calendar.localDate(at, 'America/New_York')).toBe('2026-03-30');
  });

  it('given 18:30 UTC, then it is midnight of the next day in Kolkata', () => {
    expect(calendar.localDate(new Date('2026-03-30T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-03-31');
  });
});

describe('formatLocalIso: ISO-8601 with the zone offset at that instant, never Z', () => {
  it.each([
    ['Paris in winter', '2026-01-15T17:00:00Z', 'Europe/Paris', '2026-01-15T18:00:00+01:00'],
    ['Paris in summer', '2026-03-30T16:00:00Z', 'Europe/Paris', '2026-03-30T18:00:00+02:00'],
    ['Paris, last second before spring-forward', '2026-03-29T00:59:59Z', 'Europe/Paris', '2026-03-29T01:59:59+01:00'],
    ['Paris, first second after spring-forward', '2026-03-29T01:00:00Z', 'Europe/Paris', '2026-03-29T03:00:00+02:00'],
    ['Paris, first 02:30 of fall-back', '2026-10-25T00:30:00Z', 'Europe/Paris', '2026-10-25T02:30:00+02:00'],
    ['Paris, second 02:30 of fall-back', '2026-10-25T01:30:00Z', 'Europe/Paris', '2026-10-25T02:30:00+01:00'],
    ['Kolkata', '2026-07-01T03:30:00Z', 'Asia/Kolkata', '2026-07-01T09:00:00+05:30'],
    ['Kathmandu', '2026-07-01T03:15:00Z', 'Asia/Kathmandu', '2026-07-01T09:00:00+05:45'],
    ['St. John’s, a negative half-hour offset', '2026-01-15T12:30:00Z', 'America/St_Johns', '2026-01-15T09:00:00-03:30'],
    ['New York in winter', '2026-11-27T23:00:00Z', 'America/New_York', '2026-11-27T18:00:00-05:00'],
    ['UTC', '2026-07-01T09:00:00Z', 'UTC', '2026-07-01T09:00:00+00:00'],
    ['London in winter', '2026-01-15T09:00:00Z', 'Europe/London', '2026-01-15T09:00:00+00:00'],
    ['midnight', '2026-06-09T22:00:00Z', 'Europe/Paris', '2026-06-10T00:00:00+02:00'],
    ['milliseconds truncated', '2026-03-30T16:00:00.999Z', 'Europe/Paris', '2026-03-30T18:00:00+02:00'],
  ])('given %s, when formatting %s in %s, then it reads %s', (_case, instant, timezone, expected) => {
    expect(formatLocalIso(new Date(instant), timezone)).toBe(expected);
  });
});

describe('input validation', () => {
  it('given an unknown IANA time zone, when using it anywhere, then it throws a RangeError naming the zone', () => {
    const zone = 'Mars/Olympus_Mons';
    expect(() => calendar.atLocalTime('2026-03-30', '09:00', zone)).toThrow(RangeError);
    expect(() => calendar.atLocalTime('2026-03-30', '09:00', zone)).toThrow(/Mars\/Olympus_Mons/);
    expect(() => calendar.localDate(new Date('2026-03-30T09:00:00Z'), zone)).toThrow(/Mars\/Olympus_Mons/);
    expect(() => calendar.dueToday(new Date('2026-03-30T09:00:00Z'), { timezone: zone, country: 'FR' })).toThrow(RangeError);
    expect(() => formatLocalIso(new Date('2026-03-30T09:00:00Z'), zone)).toThrow(/Mars\/Olympus_Mons/);
  });

  it.each(['2026-02-30', '2026/03/30', '26-03-30', '2026-3-30', '2026-13-01', '0050-01-01', ''])(
    'given the malformed date %j, then it throws with the bad value',
    (date) => {
      expect(() => calendar.isBusinessDay(date, 'FR')).toThrow(RangeError);
      expect(() => calendar.atLocalTime(date, '09:00', 'Europe/Paris')).toThrow(JSON.stringify(date));
    },
  );

  it.each(['9:00', '24:00', '18:60', '18:00:00', 'noon'])('given the malformed time %j, then it throws with the bad value', (time) => {
    expect(() => calendar.atLocalTime('2026-03-30', time, 'Europe/Paris')).toThrow(JSON.stringify(time));
  });

  it('given business hours that end before they start or are malformed, then creating the calendar throws', () => {
    expect(() => createBusinessCalendar(holidays, { start: '18:00', end: '09:00' })).toThrow(/18:00/);
    expect(() => createBusinessCalendar(holidays, { start: '9h', end: '18:00' })).toThrow(/9h/);
  });

  it('given a country that is not an alpha-2 code, then it throws with the bad value', () => {
    expect(() => calendar.isBusinessDay('2026-03-30', 'FRA')).toThrow(/FRA/);
  });

  it('given an invalid Date, then it throws instead of returning NaN dates', () => {
    expect(() => calendar.dueToday(new Date('not a date'), PARIS)).toThrow(RangeError);
  });
});

describe('the years a holiday table covers', () => {
  const covered = createBusinessCalendar(buildHolidayTable(['FR'], 2025, 2027), { start: '09:00', end: '18:00' }, { fromYear: 2025, toYear: 2027 });

  it('given a table for 2025–2027, when a date in 2027 is checked, then its holidays count', () => {
    expect(covered.isBusinessDay('2027-07-14', 'FR')).toBe(false);
  });

  it('given a table for 2025–2027, when a date in 2028 is checked, then it refuses to guess and says to redeploy', () => {
    expect(() => covered.isBusinessDay('2028-07-14', 'FR')).toThrow(/covers 2025–2027; redeploy/);
  });
});
