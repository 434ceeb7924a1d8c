import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { calendar, holidays, PARIS } from '../support/business-calendar.ts';

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
