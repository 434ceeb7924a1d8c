import type { Degradation, Movement } from './degradation.ts';
import type { ScoreLine } from './score.ts';

/**
 * A health score in a CSM's words (docs/playbooks.md, health): figures and the names of measures, never a
 * person's words, so the same text goes to the alert channel, a task and the report. Pure.
 */

/** "Health 42 (red), down from 68 (yellow): usage dragged it down most (no use for 31 days)." */
export function describeDegradation(degraded: Pick<Degradation, 'cause' | 'score' | 'band' | 'fromScore' | 'fromBand' | 'measure'> & { reading: string }): string {
  const within = degraded.cause === 'points-drop' ? ' within a week' : '';
  return `Health ${degraded.score} (${degraded.band}), down from ${degraded.fromScore} (${degraded.fromBand})${within}: ${degraded.measure} dragged it down most${degraded.reading ? ` (${degraded.reading})` : ''}.`;
}

/** One line per measure: "usage 0/100 × 35 % = 0 (no use for 31 days)". */
export function describeLines(lines: readonly ScoreLine[]): string[] {
  return lines.map(({ measure, points, appliedWeight, contribution, value }) => `${measure} ${points}/100 × ${appliedWeight} % = ${contribution} (${value})`);
}

/**
 * "usage −35 (this week at 100 % → no use for 31 days)"; a measure that read the same but weighs
 * differently (another measure gained or lost its data): "pulse −2.6 (weight 17.6 % → 15 %)".
 */
export function describeMovement({ measure, change, before, now }: Movement): string {
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const what =
    before && now
      ? before.value === now.value
        ? `weight ${before.appliedWeight} % → ${now.appliedWeight} %`
        : `${before.value} → ${now.value}`
      : now
        ? `new: ${now.value}`
        : `no data any more (was ${before?.value})`;
  return `${measure} ${sign}${Math.abs(change)} (${what})`;
}
