import { addCalendarDays, daysBetween } from '../calendar/business-time.ts';

/**
 * The threshold alerts of the alert channel (docs/playbooks.md, health; seed 004): a fact about an
 * account that crossed a line the team set, raised on entry only, once per account and type, quiet while
 * snoozed. Pure: what is reached today from the facts, and what to raise given what was reached before.
 */

export const THRESHOLD_ALERTS = ['no-exchange', 'decision-maker-silent', 'no-qbr', 'renewal-near', 'champion-idle'] as const;
export type ThresholdAlert = (typeof THRESHOLD_ALERTS)[number];

export interface ThresholdSettings {
  noExchangeDays: number;
  decisionMakerDays: number;
  noQbrDays: number;
  renewalWithinDays: number;
  championIdleDays: number;
}

/** What the thresholds read of an account, as local dates. */
export interface ThresholdFacts {
  /** Since when the team knows the account (its signature or its import): a count with no touchpoint starts there. */
  knownSince: string;
  lastExchangeDay?: string | undefined;
  /** Undefined: the account has no decision-maker on file, so the alert does not apply. */
  decisionMaker?: { lastContactDay?: string | undefined } | undefined;
  lastQbrDay?: string | undefined;
  renewalDay?: string | undefined;
  /** The champion's last day of use while the account is still used (its last week), if it has a champion and usage. */
  champion?: { lastUseDay: string; accountUsedThisWeek: boolean } | undefined;
}

/** Each threshold reached today, with what it read (figures and dates only). */
export function thresholdsReached(facts: ThresholdFacts, today: string, settings: ThresholdSettings): Map<ThresholdAlert, string> {
  const reached = new Map<ThresholdAlert, string>();
  const since = (day: string | undefined) => daysBetween(day ?? facts.knownSince, today);
  const noExchange = since(facts.lastExchangeDay);
  if (noExchange >= settings.noExchangeDays) reached.set('no-exchange', `no exchange for ${noExchange} days`);
  if (facts.decisionMaker) {
    const silent = since(facts.decisionMaker.lastContactDay);
    if (silent >= settings.decisionMakerDays) reached.set('decision-maker-silent', `decision-maker not contacted for ${silent} days`);
  }
  const noQbr = since(facts.lastQbrDay);
  if (noQbr >= settings.noQbrDays) reached.set('no-qbr', `no QBR for ${noQbr} days`);
  if (facts.renewalDay !== undefined) {
    const until = daysBetween(today, facts.renewalDay);
    if (until >= 0 && until <= settings.renewalWithinDays) reached.set('renewal-near', `renewal on ${facts.renewalDay}, in ${until} days`);
  }
  if (facts.champion?.accountUsedThisWeek) {
    const idle = daysBetween(facts.champion.lastUseDay, today);
    if (idle >= settings.championIdleDays) reached.set('champion-idle', `champion idle for ${idle} days while the team goes on`);
  }
  return reached;
}

/** A threshold as held between two looks: since when it is reached, and whether it was raised. */
export interface HeldThreshold {
  since: string;
  raised?: string | undefined;
}

/** A snooze: quiet until `until` (a local date, exclusive), set by someone, for a reason kept sealed. */
export interface Snooze {
  until: string;
}

/**
 * What to raise now: a threshold newly reached, or reached while snoozed and still reached on the
 * snooze's date. One left is forgotten, so reaching it again raises it again (on entry only, never while
 * it stays reached).
 */
export function thresholdNews(
  held: Readonly<Partial<Record<ThresholdAlert, HeldThreshold>>>,
  reached: ReadonlyMap<ThresholdAlert, string>,
  snoozes: Readonly<Partial<Record<ThresholdAlert, Snooze>>>,
  today: string,
): { held: Partial<Record<ThresholdAlert, HeldThreshold>>; raise: { type: ThresholdAlert; reading: string }[] } {
  const next: Partial<Record<ThresholdAlert, HeldThreshold>> = {};
  const raise: { type: ThresholdAlert; reading: string }[] = [];
  for (const [type, reading] of reached) {
    const before = held[type];
    const snoozed = snoozes[type] !== undefined && today < snoozes[type]!.until;
    if (before?.raised || snoozed) {
      next[type] = before ?? { since: today };
      continue;
    }
    next[type] = { since: before?.since ?? today, raised: today };
    raise.push({ type, reading });
  }
  return { held: next, raise };
}

/** The snooze's date from a number of days: the day it ends, exclusive (snoozed 7 days from Monday: quiet until the next Monday). */
export function snoozeUntil(today: string, days: number): string {
  return addCalendarDays(today, days);
}
