import { describe, expect, it } from 'vitest';
import { accountHealth, healthSettingsVersion, withEvent, type HealthFacts } from '../../functions/core/health/account-health.ts';
import { degradation, whatMoved, type DegradationInput } from '../../functions/core/health/degradation.ts';
import { describeMovement } from '../../functions/core/health/describe.ts';
import { supportReading } from '../../functions/core/health/measures.ts';
import type { ScoreLine } from '../../functions/core/health/score.ts';
import { DEFAULT_SETTINGS, resolveSettings } from '../../functions/contracts/settings.ts';

// docs/playbooks.md, health: when a score is a degradation the CSM hears of, once per band entered,
// and what moved a score since the previous one.

const bands = DEFAULT_SETTINGS.health.bands;
const line = (measure: ScoreLine['measure'], points: number, appliedWeight: number, value = `${measure} ${points}`): ScoreLine => ({
  measure,
  value,
  points,
  weight: appliedWeight,
  appliedWeight,
  contribution: (points * appliedWeight) / 100,
});
const redLines = [line('usage', 0, 35), line('engagement', 80, 25), line('nps', 20, 15), line('pulse', 75, 15), line('support', 100, 10)];

const scored = (overrides: Partial<DegradationInput> = {}): DegradationInput => ({
  now: { score: 42, band: 'red', lines: redLines },
  previous: { score: 68, band: 'yellow' },
  bestOfWeek: 68,
  bandSince: '2026-11-20T10:12:00+01:00',
  at: '2026-11-20T10:12:00+01:00',
  today: '2026-11-20',
  dropPoints: 15,
  ...overrides,
});

describe('a degradation', () => {
  it('given a score falling from yellow to red, then a band drop naming the measure that dragged it down most (usage: 35 points lost)', () => {
    expect(degradation(scored(), bands)).toEqual({ cause: 'band-drop', score: 42, band: 'red', fromScore: 68, fromBand: 'yellow', measure: 'usage' });
  });

  it('given 15 points lost within the week in the same band (95 → 80, green), then a points drop from the best of the week', () => {
    const now = { score: 80, band: 'green' as const, lines: [line('usage', 60, 50), line('engagement', 100, 50)] };
    expect(degradation(scored({ now, previous: { score: 82, band: 'green' }, bestOfWeek: 95 }), bands)).toMatchObject({ cause: 'points-drop', fromScore: 95, fromBand: 'green', measure: 'usage' });
  });

  it('given 14 points lost within the week, then nothing', () => {
    const now = { score: 81, band: 'green' as const, lines: [line('usage', 62, 50), line('engagement', 100, 50)] };
    expect(degradation(scored({ now, previous: { score: 82, band: 'green' }, bestOfWeek: 95 }), bands)).toBeUndefined();
  });

  it('given the account already raised in red since it entered red, then a further fall within red is quiet', () => {
    const now = { score: 20, band: 'red' as const, lines: redLines };
    const input = scored({ now, previous: { score: 42, band: 'red' }, bestOfWeek: 68, bandSince: '2026-11-20T10:12:00+01:00', lastAlert: { band: 'red', at: '2026-11-20T10:12:00+01:00' }, lastAlertDay: '2026-11-20', at: '2026-11-21T02:00:00+01:00', today: '2026-11-21' });
    expect(degradation(input, bands)).toBeUndefined();
  });

  it('given a yellow alert, then the fall to red is a new band and is raised', () => {
    const input = scored({ lastAlert: { band: 'yellow', at: '2026-11-18T09:00:00+01:00' }, lastAlertDay: '2026-11-18' });
    expect(degradation(input, bands)?.band).toBe('red');
  });

  it('given an account swinging across the edge (yellow alert on Monday, green on Tuesday, yellow again on Wednesday), then quiet until a week has passed', () => {
    const now = { score: 74, band: 'yellow' as const, lines: [line('usage', 50, 50), line('engagement', 98, 50)] };
    const swing = { now, previous: { score: 77, band: 'green' as const }, bestOfWeek: 77, bandSince: '2026-11-18T09:00:00+01:00', lastAlert: { band: 'yellow' as const, at: '2026-11-16T09:00:00+01:00' }, lastAlertDay: '2026-11-16' };
    expect(degradation(scored({ ...swing, at: '2026-11-18T09:00:00+01:00', today: '2026-11-18' }), bands)).toBeUndefined();
    expect(degradation(scored({ ...swing, at: '2026-11-23T09:00:00+01:00', today: '2026-11-23' }), bands)?.cause).toBe('band-drop');
  });

  it('given a score coming back up, still 20 below the week’s best (100 → 70 raised, → 80), then nothing: only a fall is a degradation', () => {
    const now = { score: 80, band: 'green' as const, lines: [line('usage', 60, 50), line('engagement', 100, 50)] };
    const input = scored({ now, previous: { score: 70, band: 'yellow' }, bestOfWeek: 100, bandSince: '2026-11-20T10:12:00+01:00', lastAlert: { band: 'yellow', at: '2026-11-19T03:00:00+01:00' }, lastAlertDay: '2026-11-19' });
    expect(degradation(input, bands)).toBeUndefined();
    expect(degradation({ ...input, lastAlert: undefined, lastAlertDay: undefined }, bands)).toBeUndefined();
  });

  it('given a red alert, then back to green and down to yellow within the week, then quiet: the same episode', () => {
    const now = { score: 70, band: 'yellow' as const, lines: [line('usage', 40, 50), line('engagement', 100, 50)] };
    const input = scored({ now, previous: { score: 80, band: 'green' }, bestOfWeek: 80, bandSince: '2026-11-20T10:12:00+01:00', lastAlert: { band: 'red', at: '2026-11-17T10:00:00+01:00' }, lastAlertDay: '2026-11-17' });
    expect(degradation(input, bands)).toBeUndefined();
    expect(degradation({ ...input, at: '2026-11-25T03:00:00+01:00', today: '2026-11-25', bandSince: '2026-11-25T03:00:00+01:00' }, bands)?.band).toBe('yellow');
  });

  it('given a first score (no previous, no week), then nothing: a new account is not a degradation', () => {
    expect(degradation(scored({ previous: undefined, bestOfWeek: undefined }), bands)).toBeUndefined();
  });
});

describe('what moved a score', () => {
  it('given usage falling and an NPS answer arriving, then both, the largest change first, with what each read before and now', () => {
    const before = [line('usage', 100, 41.2, 'this week at 100 %'), line('engagement', 80, 29.4), line('pulse', 75, 17.6), line('support', 100, 11.8)];
    const now = [line('usage', 0, 35, 'no use for 31 days'), line('engagement', 80, 25), line('nps', 20, 15, 'latest NPS answer 2'), line('pulse', 75, 15), line('support', 100, 10)];
    const moved = whatMoved(before, now);
    expect(moved[0]).toEqual({ measure: 'usage', change: -41.2, before: { value: 'this week at 100 %', points: 100, appliedWeight: 41.2 }, now: { value: 'no use for 31 days', points: 0, appliedWeight: 35 } });
    expect(moved.map(({ measure }) => measure)).toEqual(['usage', 'engagement', 'nps', 'pulse', 'support']);
    expect(moved.find(({ measure }) => measure === 'nps')).toEqual({ measure: 'nps', change: 3, now: { value: 'latest NPS answer 2', points: 20, appliedWeight: 15 } });
    expect(moved.map(describeMovement)).toEqual([
      'usage −41.2 (this week at 100 % → no use for 31 days)',
      'engagement −3.5 (weight 29.4 % → 25 %)',
      'nps +3 (new: latest NPS answer 2)',
      'pulse −1.9 (weight 17.6 % → 15 %)',
      'support −1.8 (weight 11.8 % → 10 %)',
    ]);
  });

  it('given no previous score, then nothing moved', () => {
    expect(whatMoved(undefined, redLines)).toEqual([]);
  });
});

describe('the support measure', () => {
  it('given no ticket open and no e-mail waiting, then 100; two open tickets, 50; an unanswered e-mail and a ticket, 25; nothing on file, no data', () => {
    expect(supportReading({ openTickets: 0, unansweredFeedback: 0 })).toEqual({ value: '0 open tickets', points: 100 });
    expect(supportReading({ openTickets: 2, unansweredFeedback: 0 })?.points).toBe(50);
    expect(supportReading({ openTickets: 1, unansweredFeedback: 1 })).toEqual({ value: '1 open ticket, 1 client e-mail without a reply', points: 25 });
    expect(supportReading(undefined)).toBeUndefined();
  });
});

describe("an account's health from its facts", () => {
  const healthy: HealthFacts = {
    usage: { lastActiveDay: '2026-11-19', idleDays: 0, thisWeek: { activeDays: 5, userDays: 50, businessDays: 5 }, fourWeekAverage: { activeDays: 5, userDays: 50, businessDays: 5 } },
    lastTouchpointDay: '2026-11-10',
  };

  it('given the NPS answer that asked for the score, then it counts even before its playbook recorded it; an older answer changes nothing', () => {
    const answered = withEvent(healthy, { type: 'NpsResponseReceived', score: 2, at: '2026-11-20T10:12:00+01:00', day: '2026-11-20' });
    expect(answered.latestNps).toEqual({ score: 2, day: '2026-11-20', at: '2026-11-20T10:12:00+01:00' });
    expect(withEvent(answered, { type: 'NpsResponseReceived', score: 10, at: '2026-10-01T10:00:00+02:00', day: '2026-10-01' })).toBe(answered);
  });

  it('given the facts, then the score of the profile of its segment, with the settings version that produced it', () => {
    const settings = resolveSettings({ health: { profiles: { smb: { segments: ['smb'], weights: { usage: 60, engagement: 40, nps: 0, pulse: 0, support: 0 } } } } });
    const health = accountHealth(healthy, 'smb', '2026-11-20', settings);
    expect(health).toMatchObject({ profile: 'smb', band: 'green', missing: ['nps', 'pulse', 'support'] });
    expect(health.settingsVersion).toBe(healthSettingsVersion(settings));
    expect(health.settingsVersion).not.toBe(healthSettingsVersion(DEFAULT_SETTINGS));
    expect(accountHealth(healthy, 'enterprise', '2026-11-20', settings).profile).toBe('default');
  });
});
