import { THRESHOLD_ALERTS, type ThresholdAlert } from '../../contracts/thresholds.ts';
import { addCalendarDays, daysBetween } from '../calendar/business-time.ts';

/**
 * The threshold alerts of the alert channel (docs/playbooks.md, health; seed 004): a fact about an
 * account that crossed a line the team set, raised on entry only, once per account and type, quiet while
 * snoozed. Pure: what is reached today from the facts, and what to raise given what was reached before.
 */

export { THRESHOLD_ALERTS, type ThresholdAlert };

/** The lines of the settings: `alerts.*`, and the champion's from usage. */
export function thresholdSettings(settings: { alerts: Omit<ThresholdSettings, 'championIdleDays'>; usage: { championIdleDays: number } }): ThresholdSettings {
  const { noExchangeDays, decisionMakerDays, noQbrDays, renewalWithinDays } = settings.alerts;
  return { noExchangeDays, decisionMakerDays, noQbrDays, renewalWithinDays, championIdleDays: settings.usage.championIdleDays };
}

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

/** What the ledger holds that the thresholds read, as local dates. */
export interface ThresholdSources {
  /** The first day the product watched the account, or its signature when earlier. */
  knownSince: string;
  /** The account's touchpoints of the lookback (any order): calls, meetings, e-mail exchanges, QBRs, and who took part. */
  touchpoints: readonly { day: string; channel: string; contactId?: string | undefined }[];
  /** The contacts of the account, by role. */
  contacts: readonly { id: string; role: string }[];
  renewalDay?: string | undefined;
  /** The renewal date whose outcome is recorded (RenewalRecorded): that renewal is no longer near. */
  recordedRenewalDay?: string | undefined;
  /** The champion's days of use, and the account's latest active day. */
  championDays?: readonly string[] | undefined;
  lastActiveDay?: string | undefined;
}

/**
 * The facts from the ledger: an exchange is any touchpoint; the decision-maker is contacted by a touchpoint
 * naming a contact of that role; a QBR is a touchpoint of that channel; a renewal whose outcome is recorded
 * is not near; the champion idles while the account was used within the last 7 days.
 */
export function thresholdFacts(sources: ThresholdSources, today: string): ThresholdFacts {
  const latest = (days: readonly string[]) => days.reduce<string | undefined>((last, day) => (last === undefined || day > last ? day : last), undefined);
  const decisionMakers = new Set(sources.contacts.filter(({ role }) => role === 'decision-maker').map(({ id }) => id));
  const championLastUse = latest(sources.championDays ?? []);
  return {
    knownSince: sources.knownSince,
    lastExchangeDay: latest(sources.touchpoints.map(({ day }) => day)),
    decisionMaker: decisionMakers.size === 0 ? undefined : { lastContactDay: latest(sources.touchpoints.filter(({ contactId }) => contactId !== undefined && decisionMakers.has(contactId)).map(({ day }) => day)) },
    lastQbrDay: latest(sources.touchpoints.filter(({ channel }) => channel === 'qbr').map(({ day }) => day)),
    renewalDay: sources.renewalDay === sources.recordedRenewalDay ? undefined : sources.renewalDay,
    champion:
      championLastUse === undefined || sources.lastActiveDay === undefined
        ? undefined
        : { lastUseDay: championLastUse, accountUsedThisWeek: daysBetween(sources.lastActiveDay, today) < 7 },
  };
}

/** Each threshold reached today, with what it read (figures and dates only). */
export function thresholdsReached(facts: ThresholdFacts, today: string, settings: ThresholdSettings): Map<ThresholdAlert, string> {
  const reached = new Map<ThresholdAlert, string>();
  const since = (day: string | undefined) => daysBetween(day ?? facts.knownSince, today);
  const noExchange = since(facts.lastExchangeDay);
  if (noExchange >= settings.noExchangeDays) reached.set('no-exchange', `No exchange for ${noExchange} days`);
  if (facts.decisionMaker) {
    const silent = since(facts.decisionMaker.lastContactDay);
    if (silent >= settings.decisionMakerDays) reached.set('decision-maker-silent', `Decision-maker not contacted for ${silent} days`);
  }
  const noQbr = since(facts.lastQbrDay);
  if (noQbr >= settings.noQbrDays) reached.set('no-qbr', `No QBR for ${noQbr} days`);
  if (facts.renewalDay !== undefined) {
    const until = daysBetween(today, facts.renewalDay);
    if (until >= 0 && until <= settings.renewalWithinDays) reached.set('renewal-near', `Renewal on ${facts.renewalDay}, in ${until} days`);
  }
  if (facts.champion?.accountUsedThisWeek) {
    const idle = daysBetween(facts.champion.lastUseDay, today);
    if (idle >= settings.championIdleDays) reached.set('champion-idle', `Champion idle for ${idle} days while the team goes on`);
  }
  return reached;
}

/** A threshold as held between two looks: since when it is reached, and whether it was raised. */
export interface HeldThreshold {
  since: string;
  raised?: string | undefined;
  /** Found past its line at the first look at the account: not raised, and not raised while it stays past. */
  firstLook?: true | undefined;
}

/** A snooze: quiet until `until` (a local date, exclusive), set by someone, for a reason kept sealed. */
export interface Snooze {
  until: string;
}

/**
 * What to raise now: a threshold newly reached, or reached while snoozed and still reached on the
 * snooze's date. One left is forgotten, so reaching it again raises it again (on entry only, never while
 * it stays reached). The first look at an account (`held` undefined: newly watched, or watched since
 * before threshold alerts existed) raises nothing: what it finds already past a line was not entered
 * today, and a whole imported book of accounts must not flood the channel on its first night.
 */
export function thresholdNews(
  held: Readonly<Partial<Record<ThresholdAlert, HeldThreshold>>> | undefined,
  reached: ReadonlyMap<ThresholdAlert, string>,
  snoozes: Readonly<Partial<Record<ThresholdAlert, Snooze>>>,
  today: string,
): { held: Partial<Record<ThresholdAlert, HeldThreshold>>; raise: { type: ThresholdAlert; reading: string; since: string }[] } {
  const next: Partial<Record<ThresholdAlert, HeldThreshold>> = {};
  const raise: { type: ThresholdAlert; reading: string; since: string }[] = [];
  for (const [type, reading] of reached) {
    const before = held?.[type];
    const snoozed = snoozes[type] !== undefined && today < snoozes[type]!.until;
    if (held === undefined) {
      next[type] = { since: today, firstLook: true };
      continue;
    }
    if (before?.raised || before?.firstLook || snoozed) {
      next[type] = before ?? { since: today };
      continue;
    }
    const since = before?.since ?? today;
    next[type] = { since, raised: today };
    raise.push({ type, reading, since });
  }
  return { held: next, raise };
}

/**
 * A threshold snoozed: whether or not it was raised, it is told again on the snooze's date if it is still
 * reached then (what a snooze asks for), and not before.
 */
export function snoozed(held: Readonly<Partial<Record<ThresholdAlert, HeldThreshold>>> | undefined, type: ThresholdAlert): Partial<Record<ThresholdAlert, HeldThreshold>> | undefined {
  const before = held?.[type];
  return held && before ? { ...held, [type]: { since: before.since } } : held;
}

/**
 * The first day after `today` when a threshold not reached today would be, the facts unchanged, or a
 * snooze ends: the night need not look at an account without a score before it. Undefined: never.
 */
export function nextThresholdDay(facts: ThresholdFacts, today: string, settings: ThresholdSettings, snoozes: Readonly<Partial<Record<ThresholdAlert, Snooze>>>): string | undefined {
  const from = (day: string | undefined) => day ?? facts.knownSince;
  const days = [addCalendarDays(from(facts.lastExchangeDay), settings.noExchangeDays), addCalendarDays(from(facts.lastQbrDay), settings.noQbrDays)];
  if (facts.decisionMaker) days.push(addCalendarDays(from(facts.decisionMaker.lastContactDay), settings.decisionMakerDays));
  if (facts.renewalDay !== undefined) days.push(addCalendarDays(facts.renewalDay, -settings.renewalWithinDays));
  if (facts.champion) days.push(addCalendarDays(facts.champion.lastUseDay, settings.championIdleDays));
  for (const snooze of Object.values(snoozes)) if (snooze) days.push(snooze.until);
  return days.filter((day) => day > today).sort()[0];
}

/** The id of a threshold raised on `day`: one post per account, threshold and day (a retry or a race raises the same). */
export function thresholdEventId(accountId: string, type: ThresholdAlert, day: string): string {
  return `threshold-${accountId}-${type}-${day}`;
}

/** Whether an alert raised for `reason` (its event id) is one of this account's alerts of this threshold. */
export function isThresholdOf(reason: string, accountId: string, type: ThresholdAlert): boolean {
  return reason.startsWith(`threshold-${accountId}-${type}-`);
}

/** The snooze's date from a number of days: the day it ends, exclusive (snoozed 7 days from Monday: quiet until the next Monday). */
export function snoozeUntil(today: string, days: number): string {
  return addCalendarDays(today, days);
}
