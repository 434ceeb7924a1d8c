import { describe, expect, it } from 'vitest';
import { bandOf, healthScore, heaviestDrag, profileOf } from '../../functions/core/health/score.ts';

// docs/playbooks.md, health: a weighted score you can explain; a measure without data changes the
// weights, not the score's meaning.

const WEIGHTS = { usage: 35, engagement: 25, nps: 15, pulse: 15, support: 10 };
const BANDS = { red: 50, yellow: 75 };
const reading = (points: number, value = `${points} points`) => ({ value, points });

describe('the health score', () => {
  it('given every measure, then the weighted mean of their points, with each line saying what it adds', () => {
    const score = healthScore({ usage: reading(80), engagement: reading(60), nps: reading(90), pulse: reading(50), support: reading(100) }, WEIGHTS, BANDS);
    // 80×.35 + 60×.25 + 90×.15 + 50×.15 + 100×.10 = 28 + 15 + 13.5 + 7.5 + 10 = 74
    expect(score).toMatchObject({ score: 74, band: 'yellow', missing: [] });
    expect(score.lines.find(({ measure }) => measure === 'usage')).toEqual({ measure: 'usage', value: '80 points', points: 80, weight: 35, appliedWeight: 35, contribution: 28 });
  });

  it('given no NPS answer and no pulse, then those weights are spread over the others in proportion, never scored as neutral', () => {
    const score = healthScore({ usage: reading(80), engagement: reading(60), support: reading(100) }, WEIGHTS, BANDS);
    // The 70 points of weight left: usage 50, engagement 35.7, support 14.3 → 40 + 21.4 + 14.3 = 75.7
    expect(score).toMatchObject({ score: 76, band: 'green', missing: ['nps', 'pulse'] });
    expect(score.lines.map(({ appliedWeight }) => appliedWeight)).toEqual([50, 35.7, 14.3]);
    // A neutral 50 for the missing measures would have said 70: another meaning.
    expect(healthScore({ usage: reading(80), engagement: reading(60), nps: reading(50), pulse: reading(50), support: reading(100) }, WEIGHTS, BANDS).score).toBe(68);
  });

  it('given no measure with data, then no score at all', () => {
    expect(healthScore({}, WEIGHTS, BANDS)).toEqual({ lines: [], missing: ['usage', 'engagement', 'nps', 'pulse', 'support'] });
  });

  it('given the bands, then red at or below 50, yellow up to 75, green above', () => {
    expect([50, 51, 75, 76].map((score) => bandOf(score, BANDS))).toEqual(['red', 'yellow', 'yellow', 'green']);
  });

  it('given a score, then the measure that dragged it down most is the largest weighted shortfall, not the lowest points', () => {
    // usage loses 40 × .35 = 14 points; NPS at 10 points loses 90 × .15 = 13.5.
    expect(heaviestDrag(healthScore({ usage: reading(60), engagement: reading(100), nps: reading(10), pulse: reading(100), support: reading(100) }, WEIGHTS, BANDS))).toBe('usage');
  });
});

describe('the profile that scores an account', () => {
  const profiles = {
    default: { weights: WEIGHTS },
    enterprise: { segments: ['enterprise', 'strategic'], weights: { usage: 25, engagement: 35, nps: 15, pulse: 20, support: 5 } },
  };

  it('given an account of a listed segment, then its profile; of another segment or none, then the default', () => {
    expect(profileOf('strategic', profiles).name).toBe('enterprise');
    expect(profileOf('smb', profiles)).toEqual({ name: 'default', weights: WEIGHTS });
    expect(profileOf(undefined, profiles).name).toBe('default');
  });
});

describe('a score needs enough of the weight known (health.minimumWeight)', () => {
  it('given a lone NPS answer (15 of 100) and a minimum of 50, then no score, the line still saying what is known', () => {
    const lone = healthScore({ nps: reading(30) }, WEIGHTS, BANDS, 50);
    expect(lone.score).toBeUndefined();
    expect(lone.insufficient).toEqual({ weight: 15, minimum: 50 });
    expect(lone.lines).toMatchObject([{ measure: 'nps', points: 30, appliedWeight: 100 }]);
  });

  it('given usage and engagement (60 of 100), then a score', () => {
    expect(healthScore({ usage: reading(80), engagement: reading(60) }, WEIGHTS, BANDS, 50).score).toBe(72);
  });
});
