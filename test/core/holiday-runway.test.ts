import { describe, expect, it } from 'vitest';
import { holidayRunway } from '../../functions/core/calendar/holiday-runway.ts';

// A stage deployed in 2026 carries the public holidays of 2025–2030.
const DEPLOYED_IN_2026 = { fromYear: 2025, toYear: 2030 };

describe('the runway of a compiled public-holiday table', () => {
  it('given a table that covers up to 2030, when it is December 2026, then four years are left and nobody is warned', () => {
    expect(holidayRunway(DEPLOYED_IN_2026, new Date('2026-12-06T10:00:00Z'))).toEqual({ lastDay: '2030-12-31', daysLeft: 1486, endsSoon: false });
  });

  it('given a table that covers up to 2030, when it is the last day of 2029, then a year and a day are left: not yet', () => {
    expect(holidayRunway(DEPLOYED_IN_2026, new Date('2029-12-31T00:00:00Z'))).toMatchObject({ daysLeft: 366, endsSoon: false });
  });

  it('given a table that covers up to 2030, when 2030 begins, then ops are warned a year ahead', () => {
    expect(holidayRunway(DEPLOYED_IN_2026, new Date('2030-01-01T00:00:00Z'))).toMatchObject({ daysLeft: 365, endsSoon: true });
  });

  it('given a table that covers up to 2030, when it is 2031, then it has run out and the warning stays on', () => {
    expect(holidayRunway(DEPLOYED_IN_2026, new Date('2031-03-01T00:00:00Z'))).toMatchObject({ daysLeft: -59, endsSoon: true });
  });
});
