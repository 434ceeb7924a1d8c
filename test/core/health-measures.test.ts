import { describe, expect, it } from 'vitest';
import { engagementReading, npsReading, pulseReading, usageReading } from '../../functions/core/health/measures.ts';
import { healthScore, heaviestDrag } from '../../functions/core/health/score.ts';

// docs/playbooks.md, health: each measure's points, and no data left as no data.

const week = (userDays: number, businessDays = 5) => ({ activeDays: businessDays, userDays, businessDays });

describe('the usage measure', () => {
  it('given this week at the usual level or above, then 100; at 60 % of it, then 60', () => {
    expect(usageReading({ lastActiveDay: '2026-11-13', idleDays: 2, thisWeek: week(20), fourWeekAverage: week(20) }, 30)?.points).toBe(100);
    expect(usageReading({ lastActiveDay: '2026-11-13', idleDays: 2, thisWeek: week(12), fourWeekAverage: week(20) }, 30)).toEqual({ value: 'this week at 60 % of the 4 weeks before', points: 60 });
  });

  it('given a week with a public holiday, then it compares per business day: 16 user-days on 4 days is the usual 20 on 5', () => {
    expect(usageReading({ lastActiveDay: '2026-11-13', idleDays: 2, thisWeek: week(16, 4), fourWeekAverage: week(20) }, 30)?.points).toBe(100);
  });

  it('given an account idle 30 days, then 0; given one never used, then no data', () => {
    expect(usageReading({ lastActiveDay: '2026-10-01', idleDays: 45, thisWeek: week(0), fourWeekAverage: week(0) }, 30)).toEqual({ value: 'no use for 45 days', points: 0 });
    expect(usageReading({ thisWeek: week(0), fourWeekAverage: week(0) }, 30)).toBeUndefined();
  });
});

describe('the engagement measure', () => {
  it('given a touchpoint today, then 100; 45 days ago, about half; 91 days ago or more, 0; none on file, no data', () => {
    expect(engagementReading('2026-11-16', '2026-11-16', 91)?.points).toBe(100);
    expect(engagementReading('2026-10-02', '2026-11-16', 91)?.points).toBeCloseTo(50.5, 1);
    expect(engagementReading('2026-08-01', '2026-11-16', 91)?.points).toBe(0);
    expect(engagementReading(undefined, '2026-11-16', 91)).toBeUndefined();
  });
});

describe('the NPS and pulse measures', () => {
  it('given a 7 answered this year, then 70; an answer over a year old, no data', () => {
    expect(npsReading({ score: 7, day: '2026-06-01' }, '2026-11-16')?.points).toBe(70);
    expect(npsReading({ score: 9, day: '2025-06-01' }, '2026-11-16')).toBeUndefined();
  });

  it('given a pulse of 2 of 5 recorded 30 days ago, then 25; after pulseValidDays (90), expired: no data', () => {
    expect(pulseReading({ pulse: 2, day: '2026-10-17' }, '2026-11-16', 90)).toEqual({ value: 'CSM pulse 2/5 (2026-10-17)', points: 25 });
    expect(pulseReading({ pulse: 5, day: '2026-08-01' }, '2026-11-16', 90)).toBeUndefined();
  });
});

describe('the measures into a score', () => {
  it('given a healthy account whose usage stops and whose champion answers a detractor NPS, then red, and the measure that dragged it down is usage', () => {
    const weights = { usage: 35, engagement: 25, nps: 15, pulse: 15, support: 10 };
    const bands = { red: 50, yellow: 75 };
    const healthy = healthScore(
      { usage: usageReading({ lastActiveDay: '2026-11-13', idleDays: 2, thisWeek: week(20), fourWeekAverage: week(20) }, 30)!, engagement: engagementReading('2026-11-10', '2026-11-16', 91)!, nps: npsReading({ score: 9, day: '2026-09-01' }, '2026-11-16')! },
      weights,
      bands,
    );
    expect(healthy).toMatchObject({ score: 96, band: 'green', missing: ['pulse', 'support'] });
    const after = healthScore(
      { usage: usageReading({ lastActiveDay: '2026-10-09', idleDays: 37, thisWeek: week(0), fourWeekAverage: week(5) }, 30)!, engagement: engagementReading('2026-11-10', '2026-12-16', 91)!, nps: npsReading({ score: 3, day: '2026-12-16' }, '2026-12-16')! },
      weights,
      bands,
    );
    expect(after).toMatchObject({ band: 'red' });
    expect(heaviestDrag(after)).toBe('usage');
  });
});
