import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, formatLocalIso, type Locality } from '../../functions/core/calendar/business-time.ts';
import { callDayOf, callSchedule, redAlertCallDay } from '../../functions/core/competitor-meeting/call-day.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';

// Real holiday data, built the way the deployment builds it.
const calendar = createBusinessCalendar(buildHolidayTable(['FR', 'US'], 2025, 2027), { start: '09:00', end: '18:00' });
const PARIS: Locality = { timezone: 'Europe/Paris', country: 'FR' };
const NEW_YORK: Locality = { timezone: 'America/New_York', country: 'US' };

/** The call instant, read back in the account's zone. */
function callFor(detectedAt: string, meetingAt: string, where = PARIS, settings = { callLeadDays: 7, callTime: '09:00' }): string {
  const call = redAlertCallDay({ detectedAt: new Date(detectedAt), meetingAt: new Date(meetingAt), where, ...settings }, calendar);
  expect(formatLocalIso(call.at, where.timezone).slice(0, 10)).toBe(call.day);
  return formatLocalIso(call.at, where.timezone);
}

describe('the red-alert call day: the later of the next business day after the detection and the business day on or before a week before the meeting', () => {
  it('given a red alert on Friday 17:30 for a meeting next Tuesday, then the call is on Monday at 09:00 (the next business day wins)', () => {
    expect(callFor('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00')).toBe('2026-11-16T09:00:00+01:00');
  });

  it('given a competitor meeting tomorrow, then the call is still tomorrow, never the day of the detection', () => {
    expect(callFor('2026-11-16T10:00:00+01:00', '2026-11-17T10:00:00+01:00')).toBe('2026-11-17T09:00:00+01:00');
  });

  it('given a competitor meeting later the same day, then the call is the next business day (too late, but never the same day)', () => {
    expect(callFor('2026-11-16T08:00:00+01:00', '2026-11-16T15:00:00+01:00')).toBe('2026-11-17T09:00:00+01:00');
  });

  it('given a meeting three weeks away on a Monday, then the call is a week before, that Monday', () => {
    expect(callFor('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00')).toBe('2026-11-16T09:00:00+01:00');
  });

  it('given a meeting three weeks away on a Saturday, then the call is on the Friday before the day a week ahead (business day on or before)', () => {
    expect(callFor('2026-10-30T11:00:00+01:00', '2026-11-21T10:00:00+01:00')).toBe('2026-11-13T09:00:00+01:00');
  });

  it('given a week before the meeting falls on 11 November (a public holiday in France), then the call is on the 10th', () => {
    expect(callFor('2026-11-02T10:00:00+01:00', '2026-11-18T10:00:00+01:00')).toBe('2026-11-10T09:00:00+01:00');
  });

  it('given a red alert on 10 November, then the next business day is the 12th (the 11th is a public holiday)', () => {
    expect(callFor('2026-11-10T15:00:00+01:00', '2026-11-13T10:00:00+01:00')).toBe('2026-11-12T09:00:00+01:00');
  });

  it('given a detection late on Thursday evening UTC that is already Friday in Paris, then "the next business day" counts from the Paris date', () => {
    expect(callFor('2026-11-12T23:30:00Z', '2026-11-17T10:00:00+01:00')).toBe('2026-11-16T09:00:00+01:00');
  });

  it('given an account in New York and a detection on Friday evening there (Saturday in UTC), then the call is on Monday 09:00 New York time', () => {
    expect(callFor('2026-11-13T19:00:00-05:00', '2026-11-18T10:00:00-05:00', NEW_YORK)).toBe('2026-11-16T09:00:00-05:00');
  });

  it('given a detection before the clocks go back (25 October) and a call after, then the call is at 09:00 in winter time', () => {
    expect(callFor('2026-10-20T10:00:00+02:00', '2026-11-03T14:00:00+01:00')).toBe('2026-10-27T09:00:00+01:00');
  });

  it('given callLeadDays 14 and callTime 10:30, then the call is two weeks before the meeting at 10:30', () => {
    expect(callFor('2026-11-02T10:00:00+01:00', '2026-12-03T14:00:00+01:00', PARIS, { callLeadDays: 14, callTime: '10:30' })).toBe(
      '2026-11-19T10:30:00+01:00',
    );
  });

  it('given callLeadDays 0, then the call is on the day of the meeting itself (a business day)', () => {
    expect(callFor('2026-11-02T10:00:00+01:00', '2026-11-20T16:00:00+01:00', PARIS, { callLeadDays: 0, callTime: '09:00' })).toBe(
      '2026-11-20T09:00:00+01:00',
    );
  });

  it('given a meeting at 00:30 local, then "a week before" counts calendar days on its local date, not 168 hours', () => {
    // The clocks go forward on Sunday 29 March 2026: 168 h before Tuesday 31 March 00:30+02:00 is Monday
    // 23 March 23:30+01:00, a day early. Seven calendar days before the 31st is Tuesday the 24th.
    expect(callFor('2026-03-02T10:00:00+01:00', '2026-03-31T00:30:00+02:00')).toBe('2026-03-24T09:00:00+01:00');
  });
});

describe('the call day of a follow-up, from records and settings', () => {
  it('given a detection and a meeting as the ledger keeps them (ISO text) and the settings, then it is the same call day as from instants', () => {
    const settings = { callLeadDays: 7, callTime: '09:00', detractorLookbackDays: 90, churnRiskLookbackDays: 60 };
    const fromRecords = callDayOf({ detectedAt: '2026-11-02T10:00:00+01:00', meetingAt: '2026-11-23T14:00:00+01:00' }, PARIS, settings, calendar);
    expect(fromRecords).toEqual(
      redAlertCallDay({ detectedAt: new Date('2026-11-02T10:00:00+01:00'), meetingAt: new Date('2026-11-23T14:00:00+01:00'), where: PARIS, callLeadDays: 7, callTime: '09:00' }, calendar),
    );
  });

  it('given negative lead days, then it refuses them rather than call after the meeting', () => {
    expect(() => callFor('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00', PARIS, { callLeadDays: -1, callTime: '09:00' })).toThrow(RangeError);
  });

  it('given a call instant, then the schedule carries it in the account\'s offset and, for the Wait, in UTC to the second', () => {
    expect(callSchedule(new Date('2026-11-16T09:00:00.000+01:00'), 'Europe/Paris')).toEqual({ callAt: '2026-11-16T09:00:00+01:00', wakeAt: '2026-11-16T08:00:00Z' });
  });
});
