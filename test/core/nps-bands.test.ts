import { describe, expect, it } from 'vitest';
import { npsBand, type NpsBand } from '../../functions/core/nps/bands.ts';

const scores = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('npsBand with the standard preset (detractor 0–6, passive 7–8, promoter 9–10)', () => {
  it.each(scores(0, 6))('given a score of %i, then the answer is a detractor', (score) => {
    expect(npsBand(score, 'standard')).toBe<NpsBand>('detractor');
  });

  it.each(scores(7, 8))('given a score of %i, then the answer is a passive', (score) => {
    expect(npsBand(score, 'standard')).toBe<NpsBand>('passive');
  });

  it.each(scores(9, 10))('given a score of %i, then the answer is a promoter', (score) => {
    expect(npsBand(score, 'standard')).toBe<NpsBand>('promoter');
  });
});

describe('npsBand with the alerte-fidelisation preset of seed 001 (low 0–3, medium 4–6, high 7–10)', () => {
  it.each(scores(0, 3))('given a score of %i, then the answer is low (detractor)', (score) => {
    expect(npsBand(score, 'alerte-fidelisation')).toBe<NpsBand>('detractor');
  });

  it.each(scores(4, 6))('given a score of %i, then the answer is medium (passive)', (score) => {
    expect(npsBand(score, 'alerte-fidelisation')).toBe<NpsBand>('passive');
  });

  it.each(scores(7, 10))('given a score of %i, then the answer is high (promoter)', (score) => {
    expect(npsBand(score, 'alerte-fidelisation')).toBe<NpsBand>('promoter');
  });
});

describe('npsBand refuses a score that is not an NPS answer', () => {
  it.each([-1, 11, 6.5, Number.NaN, Number.POSITIVE_INFINITY])('given a score of %s, then banding it throws a RangeError', (score) => {
    expect(() => npsBand(score, 'standard')).toThrow(RangeError);
    expect(() => npsBand(score, 'alerte-fidelisation')).toThrow(RangeError);
  });
});
