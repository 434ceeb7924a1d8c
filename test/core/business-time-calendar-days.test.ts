import { describe, expect, it } from 'vitest';
import { addCalendarDays, formatUtcIso } from '../../functions/core/calendar/business-time.ts';

describe('calendar days on local dates', () => {
  it('given a date and a number of days, then it counts dates, forwards or back, across months, years and 29 February', () => {
    expect(addCalendarDays('2026-11-23', -7)).toBe('2026-11-16');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addCalendarDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addCalendarDays('2026-11-16', 0)).toBe('2026-11-16');
  });

  it('given a week across the spring DST change, then it is seven dates, never 168 hours', () => {
    expect(addCalendarDays('2026-03-31', -7)).toBe('2026-03-24');
  });

  it('given a fraction of a day or an invalid date, then it refuses', () => {
    expect(() => addCalendarDays('2026-11-16', 1.5)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('a Wait timestamp', () => {
  it('given an instant with an offset and milliseconds, then it is written in UTC to the second', () => {
    expect(formatUtcIso(new Date('2026-11-16T09:00:00.750+01:00'))).toBe('2026-11-16T08:00:00Z');
  });

  it('given an invalid date, then it refuses', () => {
    expect(() => formatUtcIso(new Date('nope'))).toThrow(RangeError);
  });
});
