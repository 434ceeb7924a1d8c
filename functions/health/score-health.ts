import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { HealthDay, RosterEntry, StoredHealth } from '../adapters/health-records.ts';
import { DetailSchemas, DetailType, type AccountRecord, type DetailOf, type DomainEventMessage } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { addCalendarDays, formatLocalIso } from '../core/calendar/business-time.ts';
import { accountHealth, SCORED_ON, withEvent, type HealthFacts, type ScoredEvent } from '../core/health/account-health.ts';
import { replyKey } from '../core/feedback/first-reply.ts';
import { degradation } from '../core/health/degradation.ts';
import { nextThresholdDay, snoozed, thresholdEventId, thresholdFacts, thresholdNews, thresholdSettings, thresholdsReached, type ThresholdAlert, type ThresholdSources } from '../core/health/thresholds.ts';
import { usageWindow } from '../core/usage/usage.ts';
import { definePlaybookFunction, type PlaybookDeps } from '../runtime/playbook-function.ts';

/**
 * Score the account an event moves (docs/playbooks.md, health), straight from the bus: the CSM's pulse
 * and a ticket's status are recorded first (the scorer keeps them), then the account is scored with the
 * event folded in (scoreAccount, below). Reads the ids, figures and times of the event, never its texts: an NPS
 * comment or a client's e-mail stays sealed, unread. An account the ledger does not hold complete yet
 * (the CRM's first fields of it) is not scored: its next event will be.
 */
export const scoreHealth = definePlaybookFunction({
  id: 'score-health',
  input: z.object({
    'detail-type': z.enum(SCORED_ON),
    // The fields a measure reads, and only those: the rest (an NPS comment, a client's e-mail, sealed on the
    // bus) is dropped unread, so the scorer's role reads no sealed value. Each type's own are checked below.
    detail: z.object({
      eventId: z.string(),
      accountId: z.string(),
      score: z.optional(DetailSchemas.NpsResponseReceived.shape.score),
      respondedAt: z.optional(DetailSchemas.NpsResponseReceived.shape.respondedAt),
      at: z.optional(DetailSchemas.TouchpointLogged.shape.at),
      csmId: z.optional(DetailSchemas.CsmPulseRecorded.shape.csmId),
      pulse: z.optional(DetailSchemas.CsmPulseRecorded.shape.pulse),
      ticketId: z.optional(DetailSchemas.SupportTicketUpdated.shape.ticketId),
      status: z.optional(DetailSchemas.SupportTicketUpdated.shape.status),
      channel: z.optional(z.string()),
      contactId: z.optional(z.string()),
      alertType: z.optional(DetailSchemas.AlertSnoozed.shape.alertType),
      until: z.optional(DetailSchemas.AlertSnoozed.shape.until),
      by: z.optional(z.string()),
      messageId: z.optional(DetailSchemas.ClientFeedbackReceived.shape.messageId),
      inReplyTo: z.optional(DetailSchemas.ClientReplySent.shape.inReplyTo),
    }),
  }),
  async run({ 'detail-type': type, detail }, deps): Promise<Scored | { accountId: string; skipped: string }> {
    const { ledger, calendar, logger } = deps;
    const { accountId, eventId } = detail;
    const account = await ledger.getAccount(accountId);
    if (!account) {
      logger.info('health not scored: the account is not complete in the ledger yet', { accountId, eventId, cause: type });
      return { accountId, skipped: 'account not complete in the ledger' };
    }
    const localDay = (at: string) => calendar.localDate(new Date(at), account.timezone);
    let event: ScoredEvent = { type: 'other' };
    if (type === DetailType.CsmPulseRecorded) {
      // Its reasons are the CSM's words, sealed on the bus: the measure reads the pulse alone.
      const { csmId, pulse, at } = z.object({ csmId: DetailSchemas.CsmPulseRecorded.shape.csmId, pulse: DetailSchemas.CsmPulseRecorded.shape.pulse, at: DetailSchemas.CsmPulseRecorded.shape.at }).parse(detail);
      await ledger.health.recordPulse(accountId, { csmId, pulse, at, eventId });
    } else if (type === DetailType.SupportTicketUpdated) {
      const { ticketId, status, at } = DetailSchemas.SupportTicketUpdated.parse(detail);
      await ledger.health.recordTicket(accountId, { ticketId, status, at });
    } else if (type === DetailType.NpsResponseReceived && detail.score !== undefined && detail.respondedAt !== undefined) {
      event = { type, score: detail.score, at: detail.respondedAt, day: localDay(detail.respondedAt) };
    } else if (type === DetailType.TouchpointLogged && detail.at !== undefined) {
      event = { type, at: detail.at, day: localDay(detail.at), channel: detail.channel ?? 'call', contactId: detail.contactId };
    } else if (type === DetailType.ClientFeedbackReceived && detail.channel === 'email') {
      event = { type: 'ClientEmail', replyKey: replyKey(detail), answered: false };
    } else if (type === DetailType.ClientReplySent && detail.inReplyTo !== undefined) {
      event = { type: 'ClientEmail', replyKey: detail.inReplyTo, answered: true };
    }
    let snooze: Cause['snooze'];
    if (type === DetailType.AlertSnoozed) {
      // Its reason is a person's words, sealed on the bus: the scorer keeps the date, who and when.
      const { alertType, until, by, at } = z.object({ alertType: DetailSchemas.AlertSnoozed.shape.alertType, until: DetailSchemas.AlertSnoozed.shape.until, by: z.string(), at: z.string() }).parse(detail);
      snooze = { alertType, until, by, at };
    }
    return scoreAccount(deps, account, { type, eventId, event, snooze });
  },
});

/** What asked for the score: the event (or the night), the facts it brings. */
export interface Cause {
  type: string;
  eventId: string;
  event?: ScoredEvent | undefined;
  snooze?: { alertType: ThresholdAlert; until: string; by: string; at: string } | undefined;
}

/** How many times a scorer reads and scores again when another scorer of the account wrote first. */
const CONCURRENT_ATTEMPTS = 4;

export interface Scored {
  accountId: string;
  score?: number | undefined;
  band?: string | undefined;
  /** The degradation published, by its event id. */
  degraded?: string | undefined;
  /** The threshold alerts published, by their event ids. */
  thresholds?: string[] | undefined;
}

/**
 * Score one account now (docs/playbooks.md, health), from what the ledger holds of it and the event that
 * asked (`cause`, folded in: its own playbook may record it a moment later): the score and its lines
 * written with the settings version, the previous score kept for what moved, the day's snapshot, the
 * degradation decided with the score and published after it (`HealthDegraded`, its id from the score's
 * instant: a retry publishes the same). Another scorer of the account writing first makes this one
 * read and score again.
 */
export async function scoreAccount(
  deps: PlaybookDeps,
  account: AccountRecord,
  cause: Cause,
  { nightly = false } = {},
): Promise<Scored> {
  const { ledger, settings, calendar, logger, metrics } = deps;
  const accountId = account.id;
  for (let attempt = 1; ; attempt++) {
    const { health: stored, version } = await ledger.health.get(accountId);
    if (stored?.unannounced) await announce(deps, stored.unannounced);
    if (stored?.unannouncedThresholds) await announceThresholds(deps, accountId, stored.scoredAt, stored.unannouncedThresholds);
    const kept = { accountId, score: stored?.score, band: stored?.band };
    // The same event scored already (a redelivery, twenty uses at once telling the same AccountActive, a
    // redriven night), or a later score that covers this one (no fact of this event to fold in): done.
    if (stored?.cause.eventId === cause.eventId) {
      // A redelivery after a call that failed between the write and the roster: the entry put again (harmless twice).
      await ledger.health.enroll(rosterEntry(stored));
      return kept;
    }
    if (attempt > 1 && (cause.event ?? { type: 'other' }).type === 'other' && !cause.snooze && stored && Date.parse(stored.scoredAt) >= deps.now().getTime()) return kept;
    const now = deps.now();
    const scoredAt = formatLocalIso(now, account.timezone);
    const today = calendar.localDate(now, account.timezone);
    // A night only takes data away (a pulse or an answer expiring) or moves points: an account without
    // a score cannot gain one from the night, only from an event, which scores it then. The night looks
    // at it for its thresholds alone, on the day they are due.
    if (nightly && stored?.score === undefined && !(stored?.due !== undefined && stored.due <= today)) return { accountId };

    const read = await factsOf(deps, account, today, cause.event);
    const facts = withEvent(read.health, cause.event ?? { type: 'other' });
    const health = accountHealth(facts, account.segment, today, settings);
    const knownSince = stored?.knownSince ?? [today, ...(account.signedAt ? [calendar.localDate(new Date(account.signedAt), account.timezone)] : [])].sort()[0]!;
    const watched = thresholdFacts({ ...read.thresholds, knownSince }, today);
    // A snooze whose date has come already silences nothing (and must not make a raised alert new again).
    const snooze = cause.snooze && cause.snooze.until > today ? cause.snooze : undefined;
    const snoozes = { ...stored?.snoozes, ...(snooze ? { [snooze.alertType]: { until: snooze.until, by: snooze.by, at: snooze.at } } : {}) };
    const lines = thresholdSettings(settings);
    const held = snooze ? snoozed(stored?.thresholds, snooze.alertType) : stored?.thresholds;
    const news = thresholdNews(held, thresholdsReached(watched, today, lines), snoozes, today);
    const due = nextThresholdDay(watched, today, lines, snoozes);
    const reached = news.raise.map(({ type, reading, since }) => ({ eventId: thresholdEventId(accountId, type, today), accountId, alertType: type, reading, since, at: scoredAt }));
    const week = await ledger.health.days(accountId, addCalendarDays(today, -7), today);

    const changed = stored === undefined || stored.score !== health.score || JSON.stringify(stored.lines) !== JSON.stringify(health.lines);
    const bandSince = stored?.band === health.band && stored?.bandSince ? stored.bandSince : scoredAt;
    const decided =
      health.score === undefined || health.band === undefined
        ? undefined
        : degradation(
            {
              now: { score: health.score, band: health.band, lines: health.lines },
              previous: stored?.score !== undefined && stored.band !== undefined ? { score: stored.score, band: stored.band } : undefined,
              bestOfWeek: bestOf(week, stored),
              bandSince,
              lastAlert: stored?.lastAlert,
              lastAlertDay: stored?.lastAlert?.day,
              at: scoredAt,
              today,
              dropPoints: settings.health.dropPoints,
            },
            settings.health.bands,
          );
    const eventId = `health-${accountId}-${now.getTime()}`;
    const unannounced = decided && { eventId, accountId, ...decided, reading: health.lines.find(({ measure }) => measure === decided.measure)?.value ?? '', scoredAt };
    const record: StoredHealth = {
      accountId,
      score: health.score,
      band: health.band,
      profile: health.profile,
      settingsVersion: health.settingsVersion,
      lines: health.lines,
      missing: health.missing,
      insufficient: health.insufficient,
      scoredAt,
      day: today,
      cause: { type: cause.type, eventId: cause.eventId },
      previous: changed ? stored && { score: stored.score, band: stored.band, lines: stored.lines, scoredAt: stored.scoredAt } : stored?.previous,
      bandSince,
      lastAlert: decided ? { band: decided.band, at: scoredAt, day: today, eventId, score: decided.score, fromBand: decided.fromBand, measure: decided.measure } : stored?.lastAlert,
      unannounced,
      knownSince,
      thresholds: news.held,
      // A snooze past is forgotten: its threshold raises again, on entry, as any other.
      snoozes: Object.fromEntries(Object.entries(snoozes).filter(([, snooze]) => snooze.until > today)),
      due,
      unannouncedThresholds: reached.length > 0 ? reached : undefined,
    };
    try {
      await ledger.health.write(record, version);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && attempt < CONCURRENT_ATTEMPTS) continue;
      throw error;
    }
    // The nightly rescore goes through the roster: the account enters it, or its entry changes, once its
    // look is written (a scorer that lost the race to write enrolls nothing). A call failing before this
    // is done again by the event's redelivery (below, `sameEvent`).
    const entry = rosterEntry(record);
    if (!stored || JSON.stringify(rosterEntry(stored)) !== JSON.stringify(entry)) await ledger.health.enroll(entry);
    // Published as soon as it is written; whatever fails after it leaves nothing unsaid.
    if (unannounced) {
      await announce(deps, unannounced);
      metrics.addMetric(`HealthDegraded_${unannounced.band}`, 'Count', 1);
    }
    if (reached.length > 0) {
      await announceThresholds(deps, accountId, scoredAt, reached);
      for (const { alertType } of reached) metrics.addMetric(`ThresholdReached_${alertType}`, 'Count', 1);
    }
    if (health.score !== undefined && health.band !== undefined) {
      const earlier = week.find(({ day }) => day === today);
      const day: HealthDay = { day: today, score: health.score, band: health.band, high: Math.max(health.score, earlier?.high ?? 0), low: Math.min(health.score, earlier?.low ?? 100) };
      await ledger.health.writeDay(accountId, day, scoredAt);
    }
    // Figures and names of measures only: a line's value says "3 open tickets", never a person's words.
    logger.info('health scored', { accountId, cause: cause.type, eventId: cause.eventId, score: health.score, band: health.band, missing: health.missing, degraded: unannounced?.eventId, thresholds: reached.map(({ alertType }) => alertType) });
    return { accountId, score: health.score, band: health.band, ...(unannounced ? { degraded: unannounced.eventId } : {}), ...(reached.length > 0 ? { thresholds: reached.map(({ eventId }) => eventId) } : {}) };
  }
}

async function announce({ events, ledger }: PlaybookDeps, degraded: NonNullable<StoredHealth['unannounced']>): Promise<void> {
  if (!events) throw new Error('the health scorer publishes HealthDegraded: its runtime must give it the bus (lib/functions.ts publishes)');
  const message: DomainEventMessage = { type: DetailType.HealthDegraded, timestamp: degraded.scoredAt, data: degraded };
  await events.publish([message]);
  await ledger.health.announced(degraded.accountId, degraded.eventId);
}

/** The account's entry on the nightly roster: with a score, every night; without, on the day its thresholds are due. */
function rosterEntry({ accountId, score, due }: Pick<StoredHealth, 'accountId' | 'score' | 'due'>): RosterEntry {
  return score !== undefined ? { accountId, scored: true } : { accountId, scored: false, ...(due !== undefined ? { due } : {}) };
}

async function announceThresholds({ events, ledger }: PlaybookDeps, accountId: string, scoredAt: string, reached: readonly DetailOf<'ThresholdReached'>[]): Promise<void> {
  if (!events) throw new Error('the health scorer publishes ThresholdReached: its runtime must give it the bus (lib/functions.ts publishes)');
  await events.publish(reached.map((data): DomainEventMessage => ({ type: DetailType.ThresholdReached, timestamp: data.at, data })));
  await ledger.health.announcedThresholds(accountId, scoredAt);
}

/** The highest score of the 7 days before and of today so far, the stored one included. */
function bestOf(week: readonly HealthDay[], stored: StoredHealth | undefined): number | undefined {
  const scores = [...week.map(({ high }) => high), ...(stored?.score !== undefined ? [stored.score] : [])];
  return scores.length === 0 ? undefined : Math.max(...scores);
}

/** How far back the thresholds look for touchpoints: past it, "no QBR for 730 days" means at least that. */
const THRESHOLD_LOOKBACK_DAYS = 730;

/** What each measure and each threshold reads of the account, from the ledger, on `today` (the account's local date). */
async function factsOf(
  { ledger, calendar, now }: PlaybookDeps,
  account: AccountRecord,
  today: string,
  event: ScoredEvent | undefined,
): Promise<{ health: HealthFacts; thresholds: Omit<ThresholdSources, 'knownSince'> }> {
  const champion = account.contacts.find(({ role }) => role === 'champion');
  const [activity, answers, pulse, support, touchpoints, championUsage, { check: renewal }] = await Promise.all([
    ledger.usage.activity(account.id),
    ledger.npsResponses(account.id),
    ledger.health.pulse(account.id),
    ledger.health.support(account.id, now(), event?.type === 'ClientEmail' ? event : undefined),
    ledger.touchpointsSince(account.id, new Date(now().getTime() - THRESHOLD_LOOKBACK_DAYS * 86_400_000).toISOString()),
    champion && ledger.usage.contactUsage(account.id, champion.id),
    account.renewalAt ? ledger.renewalChecks.get(account.id) : { check: undefined },
  ]);
  // The latest touchpoint is the last of the lookback's (filed in time order), or, with none in it, the account's latest ever.
  const touchpoint = touchpoints.at(-1) ?? (await ledger.latestTouchpoint(account.id));
  const localDay = (at: string) => calendar.localDate(new Date(at), account.timezone);
  const latest = answers.reduce<(typeof answers)[number] | undefined>((newest, answer) => (newest === undefined || Date.parse(answer.respondedAt) > Date.parse(newest.respondedAt) ? answer : newest), undefined);
  return {
    health: {
      // Per business day of the account's country, as the usage check compares weeks.
      usage: activity.lastActiveDay === undefined ? undefined : usageWindow(activity.days, today, activity.lastActiveDay, (day) => calendar.isBusinessDay(day, account.country)),
      lastTouchpointDay: touchpoint && localDay(touchpoint.at),
      latestNps: latest && { score: latest.score, day: localDay(latest.respondedAt), at: latest.respondedAt },
      pulse: pulse && { pulse: pulse.pulse, day: localDay(pulse.at), at: pulse.at },
      support,
    },
    thresholds: {
      // The touchpoint that asked, as touchpoint-log will record it a moment later.
      touchpoints: [...touchpoints.map(({ at, channel, contactId }) => ({ day: localDay(at), channel, contactId })), ...(event?.type === 'TouchpointLogged' ? [event] : [])],
      contacts: account.contacts,
      renewalDay: account.renewalAt && localDay(account.renewalAt),
      recordedRenewalDay: renewal?.recorded && localDay(renewal.renewalAt),
      championDays: championUsage?.days,
      lastActiveDay: activity.lastActiveDay,
    },
  };
}
