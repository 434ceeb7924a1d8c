/**
 * The health score (docs/playbooks.md, health): 0–100 per account from weighted measures, explainable.
 * Each measure reads what the ledger holds and gives points (0–100); the score is the weighted mean of
 * the measures that have data. A measure without data is left out and its weight spread over the
 * others in proportion, never scored as neutral: an account with no NPS answer is scored on what is
 * known of it, and the explanation says which measures were missing. Pure: no clock, no I/O.
 */

export const HEALTH_MEASURES = ['usage', 'engagement', 'nps', 'pulse', 'support'] as const;
export type HealthMeasure = (typeof HEALTH_MEASURES)[number];

export type HealthBand = 'red' | 'yellow' | 'green';

/** What one measure read and the points it gives, 0 (worst) to 100 (best). */
export interface MeasureReading {
  /** What it read, in words a CSM reads ("7 days since the last touchpoint"): figures, never a person's words. */
  value: string;
  points: number;
}

/** One measure's part in a score: what it read, its points, its weight as configured and as applied, and what it adds. */
export interface ScoreLine {
  measure: HealthMeasure;
  value: string;
  points: number;
  weight: number;
  /** The weight applied: the configured one, grown in proportion when other measures have no data. */
  appliedWeight: number;
  /** points × appliedWeight / 100: the score is their sum. */
  contribution: number;
}

export interface HealthScore {
  /** 0–100, rounded; undefined when no measure has data (no score, not a neutral one). */
  score?: number;
  band?: HealthBand;
  lines: ScoreLine[];
  /** The measures without data, whose weight went to the others. */
  missing: HealthMeasure[];
  /** No score: the measures with data carry less than `health.minimumWeight` of the profile's weight. */
  insufficient?: { weight: number; minimum: number };
}

/** Bands: red at or below `red`, yellow at or below `yellow`, green above. */
export interface HealthBands {
  red: number;
  yellow: number;
}

export function bandOf(score: number, bands: HealthBands): HealthBand {
  return score <= bands.red ? 'red' : score <= bands.yellow ? 'yellow' : 'green';
}

/**
 * The score of an account from its measures' readings (a measure absent: no data) and its profile's
 * weights (summing to 100, as the settings enforce).
 */
export function healthScore(
  readings: Partial<Record<HealthMeasure, MeasureReading>>,
  weights: Readonly<Record<HealthMeasure, number>>,
  bands: HealthBands,
  minimumWeight = 1,
): HealthScore {
  const present = HEALTH_MEASURES.filter((measure) => readings[measure] !== undefined);
  const missing = HEALTH_MEASURES.filter((measure) => readings[measure] === undefined);
  const presentWeight = present.reduce((sum, measure) => sum + weights[measure], 0);
  if (present.length === 0 || presentWeight === 0) return { lines: [], missing };
  // Too little known to mean anything (a lone NPS answer, 15 of 100): no score, rather than one that
  // swings red on a single answer. The lines still say what is known.
  if (presentWeight < minimumWeight) return { lines: linesOf(present, readings, weights, presentWeight), missing, insufficient: { weight: presentWeight, minimum: minimumWeight } };
  const lines = linesOf(present, readings, weights, presentWeight);
  const score = Math.round(lines.reduce((sum, line) => sum + (line.points * (weights[line.measure] * 100)) / presentWeight / 100, 0));
  return { score, band: bandOf(score, bands), lines, missing };
}

function linesOf(present: readonly HealthMeasure[], readings: Partial<Record<HealthMeasure, MeasureReading>>, weights: Readonly<Record<HealthMeasure, number>>, presentWeight: number): ScoreLine[] {
  return present.map((measure): ScoreLine => {
    const { value, points } = readings[measure]!;
    const appliedWeight = (weights[measure] * 100) / presentWeight;
    return { measure, value, points: clampPoints(points), weight: weights[measure], appliedWeight: round1(appliedWeight), contribution: round1((clampPoints(points) * appliedWeight) / 100) };
  });
}

/** The measure that dragged the score down most: the largest weighted shortfall from full points. */
export function heaviestDrag(score: HealthScore): HealthMeasure | undefined {
  return score.lines.reduce<ScoreLine | undefined>((worst, line) => {
    const lost = ((100 - line.points) * line.appliedWeight) / 100;
    return worst === undefined || lost > ((100 - worst.points) * worst.appliedWeight) / 100 ? line : worst;
  }, undefined)?.measure;
}

function clampPoints(points: number): number {
  return Math.max(0, Math.min(100, Math.round(points)));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The profiles of the settings (`health.profiles`): each with its segments and weights; `default` for the rest. */
export type HealthProfiles = Readonly<Record<string, { segments?: readonly string[] | undefined; weights: Readonly<Record<HealthMeasure, number>> }>>;

/** The profile that scores an account: the one listing its segment, else `default`. */
export function profileOf(segment: string | undefined, profiles: HealthProfiles): { name: string; weights: Readonly<Record<HealthMeasure, number>> } {
  const named = segment === undefined ? undefined : Object.entries(profiles).find(([, profile]) => profile.segments?.includes(segment));
  const [name, profile] = named ?? ['default', profiles.default!];
  return { name, weights: profile.weights };
}
