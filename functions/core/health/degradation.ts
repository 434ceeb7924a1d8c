import { daysBetween } from '../calendar/business-time.ts';
import { bandOf, heaviestDrag, type HealthBand, type HealthBands, type HealthMeasure, type ScoreLine } from './score.ts';

/**
 * When a score is a degradation the CSM hears of (docs/playbooks.md, health): the account fell a band
 * since its previous score, or lost `dropPoints` or more against its best score of the 7 days before.
 * Quiet, not an alert per score: once per band entered. An alert already raised since the account
 * entered its band (or in a lower band, still standing) keeps it quiet, and so does one raised in the
 * same band within 7 days, so an account swinging across a band's edge is raised once a week at most.
 * Pure.
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
  const bandDrop = previous !== undefined && RANK[now.band] < RANK[previous.band];
  const pointsDrop = bestOfWeek !== undefined && bestOfWeek - now.score >= input.dropPoints;
  if (!bandDrop && !pointsDrop) return undefined;
  if (lastAlert) {
    const standing = RANK[lastAlert.band] <= RANK[now.band] && Date.parse(lastAlert.at) >= Date.parse(input.bandSince);
    const thisWeek = lastAlert.band === now.band && input.lastAlertDay !== undefined && daysBetween(input.lastAlertDay, input.today) < 7;
    if (standing || thisWeek) return undefined;
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
