import { daysBetween } from '../calendar/business-time.ts';
import { bandOf, heaviestDrag, type HealthBand, type HealthBands, type HealthMeasure, type ScoreLine } from './score.ts';

/**
 * When a score is a degradation the CSM hears of (docs/playbooks.md, health): the score fell since the
 * previous one, and by a band, or to `dropPoints` or more below its best of the 7 days before. Quiet,
 * not an alert per score: once per band entered. An alert raised in the same band or a lower one keeps
 * it quiet if it was raised since the account entered its band, or within 7 days: an account swinging
 * across a band's edge, or back up a day and down again, is raised once a week at most. Pure.
 */

const RANK: Readonly<Record<HealthBand, number>> = { red: 0, yellow: 1, green: 2 };

export interface ScoredNow {
  score: number;
  band: HealthBand;
  lines: readonly ScoreLine[];
}

export interface DegradationInput {
  now: ScoredNow;
  /** The account's previous score, if it had one. */
  previous?: { score: number; band: HealthBand } | undefined;
  /** The highest score of the 7 days before, today's earlier ones included. */
  bestOfWeek?: number | undefined;
  /** When the account entered its current band (this score's instant when it just did). */
  bandSince: string;
  /** The latest degradation raised for the account. */
  lastAlert?: { band: HealthBand; at: string } | undefined;
  /** This score's instant, and the account's local date of it and of the last alert. */
  at: string;
  today: string;
  lastAlertDay?: string | undefined;
  dropPoints: number;
}

export interface Degradation {
  cause: 'band-drop' | 'points-drop';
  score: number;
  band: HealthBand;
  fromScore: number;
  fromBand: HealthBand;
  /** The measure that dragged the score down most. */
  measure: HealthMeasure;
}

export function degradation(input: DegradationInput, bands: HealthBands): Degradation | undefined {
  const { now, previous, bestOfWeek, lastAlert } = input;
  // Only a fall: a score coming back up, even still below the week's best, raises nothing.
  const falling = previous !== undefined && now.score < previous.score;
  const bandDrop = falling && RANK[now.band] < RANK[previous.band];
  const pointsDrop = falling && bestOfWeek !== undefined && bestOfWeek - now.score >= input.dropPoints;
  if (!bandDrop && !pointsDrop) return undefined;
  // Quiet after an alert in this band or a lower one: raised since the account entered this band, or
  // within the week (an account back up for a day or two, then down again, is the same episode).
  if (lastAlert && RANK[lastAlert.band] <= RANK[now.band]) {
    const sinceBandEntered = Date.parse(lastAlert.at) >= Date.parse(input.bandSince);
    const thisWeek = input.lastAlertDay !== undefined && daysBetween(input.lastAlertDay, input.today) < 7;
    if (sinceBandEntered || thisWeek) return undefined;
  }
  const measure = heaviestDrag({ lines: [...now.lines], missing: [] });
  if (measure === undefined) return undefined;
  const from = bandDrop ? previous! : { score: bestOfWeek!, band: bandOf(bestOfWeek!, bands) };
  return { cause: bandDrop ? 'band-drop' : 'points-drop', score: now.score, band: now.band, fromScore: from.score, fromBand: from.band, measure };
}

/** What moved a score since the previous one: each measure whose contribution changed, the largest change first. */
export interface Movement {
  measure: HealthMeasure;
  /** Points added to the score (negative: taken away), from the measure's contribution before and now. */
  change: number;
  before?: { value: string; points: number; appliedWeight: number } | undefined;
  now?: { value: string; points: number; appliedWeight: number } | undefined;
}

export function whatMoved(before: readonly ScoreLine[] | undefined, now: readonly ScoreLine[]): Movement[] {
  if (before === undefined) return [];
  const measures = [...new Set([...before, ...now].map(({ measure }) => measure))];
  return measures
    .map((measure): Movement => {
      const was = before.find((line) => line.measure === measure);
      const is = now.find((line) => line.measure === measure);
      return {
        measure,
        change: Math.round(((is?.contribution ?? 0) - (was?.contribution ?? 0)) * 10) / 10,
        ...(was ? { before: { value: was.value, points: was.points, appliedWeight: was.appliedWeight } } : {}),
        ...(is ? { now: { value: is.value, points: is.points, appliedWeight: is.appliedWeight } } : {}),
      };
    })
    .filter((movement) => movement.change !== 0 || movement.before?.value !== movement.now?.value)
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
}
