import { describe, expect, it } from 'vitest';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { businessMomentOnOrAfter, dueAfter, CHECK_SLICE_DAYS, nextWakeUp } from '../../functions/core/checks/wake-up.ts';
import { calendar, NEW_YORK, PARIS } from '../support/business-calendar.ts';

const inParis = (at: Date) => formatLocalIso(at, PARIS.timezone);
const dueInParis = (lastTouchpoint: string, days = 91) => inParis(dueAfter(new Date(lastTouchpoint), days, PARIS, calendar));

describe('the no-contact due date: noContactDays calendar days after the last touchpoint, at the start of business hours of the first business day on or after', () => {
  it('given a call on Monday 16 November 2026 at 10:00 in Paris, then the check is due on Monday 15 February 2027 at 09:00', () => {
    expect(dueInParis('2026-11-16T10:00:00+01:00')).toBe('2027-02-15T09:00:00+01:00');
  });

  it('given a call late on a Saturday evening, then 91 days on is a Saturday: the check is due on the Monday at 09:00', () => {
    expect(dueInParis('2026-11-21T23:30:00+01:00')).toBe('2027-02-22T09:00:00+01:00');
  });

  it('given 91 days on is Easter Monday 2027 (a public holiday in France), after the clocks went forward, then it is due on Tuesday 30 March at 09:00 summer time', () => {
    expect(dueInParis('2026-12-28T15:00:00+01:00')).toBe('2027-03-30T09:00:00+02:00');
  });

  it('given the days are counted on the local date, then a call at 00:30 Paris time (23:30 UTC the day before) counts from its Paris date', () => {
    expect(dueInParis('2026-11-17T00:30:00+01:00')).toBe('2027-02-16T09:00:00+01:00');
  });

  it('given an account in New York and 91 days on falling on Presidents’ Day (15 February 2027), then it is due on Tuesday at 09:00 New York time', () => {
    const due = dueAfter(new Date('2026-11-16T10:00:00-05:00'), 91, NEW_YORK, calendar);
    expect(formatLocalIso(due, NEW_YORK.timezone)).toBe('2027-02-16T09:00:00-05:00');
  });

  it('given noContactReminderDays 7 after an outreach on Monday 15 February, then the reminder is due on Monday 22 February at 09:00', () => {
    expect(dueInParis('2027-02-15T09:00:00+01:00', 7)).toBe('2027-02-22T09:00:00+01:00');
  });

  it('given negative or fractional days, then it refuses them', () => {
    expect(() => dueAfter(new Date('2026-11-16T10:00:00+01:00'), -1, PARIS, calendar)).toThrow(RangeError);
    expect(() => dueAfter(new Date('2026-11-16T10:00:00+01:00'), 1.5, PARIS, calendar)).toThrow(RangeError);
  });
});

describe('the next business moment: what is overdue is acted on in business hours, not on a Saturday night', () => {
  const moment = (at: string) => inParis(businessMomentOnOrAfter(new Date(at), PARIS, calendar));

  it('given Tuesday at 11:00, then it is now', () => {
    expect(moment('2026-11-17T11:00:00+01:00')).toBe('2026-11-17T11:00:00+01:00');
  });

  it('given Tuesday at 07:00, then it is Tuesday at 09:00', () => {
    expect(moment('2026-11-17T07:00:00+01:00')).toBe('2026-11-17T09:00:00+01:00');
  });

  it('given Tuesday at 18:30, after closing, then it is Wednesday at 09:00', () => {
    expect(moment('2026-11-17T18:30:00+01:00')).toBe('2026-11-18T09:00:00+01:00');
  });

  it('given Saturday at 22:00, then it is Monday at 09:00', () => {
    expect(moment('2026-11-21T22:00:00+01:00')).toBe('2026-11-23T09:00:00+01:00');
  });

  it('given the evening of 10 November, then it is 12 November at 09:00: the 11th is a public holiday', () => {
    expect(moment('2026-11-10T19:00:00+01:00')).toBe('2026-11-12T09:00:00+01:00');
  });
});

describe('the next wake-up: the due date, but never more than one slice ahead', () => {
  const now = new Date('2026-11-16T10:00:00+01:00');
  const wakeUp = (due: string) => inParis(nextWakeUp(new Date(due), now, PARIS, calendar));

  it(`given a check due in 91 days, then the execution wakes after one slice (${CHECK_SLICE_DAYS} days), to re-read and hand over`, () => {
    expect(wakeUp('2027-02-15T09:00:00+01:00')).toBe('2026-12-16T10:00:00+01:00');
  });

  it('given a check due within the slice, then it wakes at the due instant', () => {
    expect(wakeUp('2026-11-23T09:00:00+01:00')).toBe('2026-11-23T09:00:00+01:00');
  });

  it('given a check due exactly one slice ahead, then it wakes at the due instant', () => {
    expect(wakeUp('2026-12-16T10:00:00+01:00')).toBe('2026-12-16T10:00:00+01:00');
  });

  it('given a check already due (a count that started long ago), then it wakes at once during business hours', () => {
    expect(wakeUp('2026-09-01T09:00:00+02:00')).toBe('2026-11-16T10:00:00+01:00');
  });
});
