import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { dueTodayLocal, holidays, KOLKATA, NEW_YORK, PARIS } from '../support/business-calendar.ts';

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
