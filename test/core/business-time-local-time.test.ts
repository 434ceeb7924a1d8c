import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../functions/contracts/settings.ts';
import { createBusinessCalendar, formatLocalIso, nextDailyInstant } from '../../functions/core/calendar/business-time.ts';
import { calendar, holidays, KOLKATA, PARIS } from '../support/business-calendar.ts';

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

describe('a daily schedule’s next start (nextDailyInstant)', () => {
  it('given 01:59 UTC, then 02:00 UTC the same day; at 02:00 exactly, then the next day (strictly after)', () => {
    expect(nextDailyInstant(new Date('2026-11-20T01:59:00Z'), '02:00', 'UTC').toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(nextDailyInstant(new Date('2026-11-20T02:00:00Z'), '02:00', 'UTC').toISOString()).toBe('2026-11-21T02:00:00.000Z');
  });

  it('given 08:00 in Paris across the end of summer time, then 06:00 UTC before it and 07:00 UTC after it', () => {
    expect(nextDailyInstant(new Date('2026-10-24T12:00:00Z'), '08:00', 'Europe/Paris').toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(nextDailyInstant(new Date('2026-10-23T12:00:00Z'), '08:00', 'Europe/Paris').toISOString()).toBe('2026-10-24T06:00:00.000Z');
  });
});
