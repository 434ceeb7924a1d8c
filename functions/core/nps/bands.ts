import type { Settings } from '../../contracts/index.ts';

export type NpsBand = 'detractor' | 'passive' | 'promoter';
export type NpsPreset = Settings['nps']['preset'];

/** Lowest score of the passive and promoter bands, per preset (docs/playbooks.md, nps-response). */
const PRESETS: Record<NpsPreset, { passiveFrom: number; promoterFrom: number }> = {
  // The NPS standard: detractor 0–6, passive 7–8, promoter 9–10.
  standard: { passiveFrom: 7, promoterFrom: 9 },
  // seed 001, #alerte-fidélisation: low 0–3, medium 4–6, high 7–10.
  'alerte-fidelisation': { passiveFrom: 4, promoterFrom: 7 },
};

export function npsBand(score: number, preset: NpsPreset): NpsBand {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`NPS score must be 0–10, got ${score}`);
  const { passiveFrom, promoterFrom } = PRESETS[preset];
  if (score >= promoterFrom) return 'promoter';
  if (score >= passiveFrom) return 'passive';
  return 'detractor';
}
