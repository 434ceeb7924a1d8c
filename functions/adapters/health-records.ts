import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DetailOf } from '../contracts/events.ts';
import type { HealthBand, HealthMeasure, ScoreLine } from '../core/health/score.ts';
import type { HeldThreshold, ThresholdAlert } from '../core/health/thresholds.ts';
import type { Entity } from './ledger-records.ts';
import { keys, partitionOf } from './table.ts';

/** How long a day's score is kept: a year's trend, and the week before it. */
const HEALTH_DAY_DAYS = 400;
/** How long a solved ticket is kept: it no longer counts, but says the account has a helpdesk. */
const SOLVED_TICKET_DAYS = 365;
/**
 * How long a client e-mail without a first reply counts against support: client-feedback's own wait (24
 * hours, then 14 days for the late reply), and a fortnight more.
 */
export const UNANSWERED_EMAIL_DAYS = 30;

/**
 * The account's health in the ledger (functions/adapters/table.ts): its latest score with everything
 * that explains it, a snapshot per local day, the CSM's pulse, the helpdesk's tickets, and the roster of
 * scored accounts the nightly rescore goes through. The score item is written conditionally on the
 * version read, so two scorers of one account never both decide a degradation; what the degradation
 * tells the playbooks (`unannounced`) is written with the score, then published, then cleared: a call
 * that fails between those steps publishes it again, under the same id.
 */

/** A score as stored: the score (absent when no measure had data), its lines, and the account's health history in brief. */
export interface StoredHealth {
  accountId: string;
  score?: number | undefined;
  band?: HealthBand | undefined;
  profile: string;
  settingsVersion: string;
  lines: ScoreLine[];
  missing: HealthMeasure[];
  /** No score: the measures with data carry too little of the weight (`health.minimumWeight`). */
  insufficient?: { weight: number; minimum: number } | undefined;
  scoredAt: string;
  /** The account's local date of `scoredAt`. */
  day: string;
  /** What asked for it: the event (type and id), or the nightly rescore. */
  cause: { type: string; eventId: string };
  /** The latest different score before this one: what moved since (a nightly rescore that changes nothing keeps it). */
  previous?: { score?: number | undefined; band?: HealthBand | undefined; lines: ScoreLine[]; scoredAt: string } | undefined;
  /** When the account entered its band. */
  bandSince?: string | undefined;
  /** The latest degradation raised, the account's local date of it, and what it said (the Monday digest's "newly red and dropping"). */
  lastAlert?: { band: HealthBand; at: string; day: string; eventId: string; score?: number | undefined; fromBand?: HealthBand | undefined; measure?: HealthMeasure | undefined } | undefined;
  /** A degradation decided with this score and not yet published. */
  unannounced?: DetailOf<'HealthDegraded'> | undefined;
  /** The first day the product watched the account (or its signature, when earlier): where a count with no touchpoint starts. */
  knownSince?: string | undefined;
  /** The threshold alerts reached at the latest look, and whether each was raised (absent: never looked). */
  thresholds?: Partial<Record<ThresholdAlert, HeldThreshold>> | undefined;
  /** The threshold alerts snoozed: quiet until `until` (a local date, exclusive), said by `by` at `at`. */
  snoozes?: Partial<Record<ThresholdAlert, { until: string; by: string; at: string }>> | undefined;
  /** The next day a threshold would be reached or a snooze ends: when the night looks at an account without a score. */
  due?: string | undefined;
  /** Threshold alerts decided with this look and not yet published. */
  unannouncedThresholds?: DetailOf<'ThresholdReached'>[] | undefined;
}

/** An account as the nightly roster holds it: whether it has a score, and else the day its thresholds need a look. */
export interface RosterEntry {
  accountId: string;
  scored: boolean;
  due?: string | undefined;
}

/** A day's score: the latest, the highest and the lowest of the day. */
export interface HealthDay {
  day: string;
  score: number;
  band: HealthBand;
  high: number;
  low: number;
}

export interface CsmPulse {
  csmId: string;
  pulse: number;
  at: string;
  eventId: string;
}

export class HealthRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The account's latest score and the version its next write is conditioned on (0: never scored). */
  async get(accountId: string): Promise<{ health: StoredHealth | undefined; version: number }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.health(accountId), ConsistentRead: true }));
    if (!Item) return { health: undefined, version: 0 };
    const { pk: _pk, sk: _sk, entity: _entity, version, ...health } = Item;
    return { health: health as StoredHealth, version: Number(version) };
  }

  /**
   * Write the score if nobody wrote one since `readVersion` was read: a concurrent scorer makes this
   * throw ConditionalCheckFailedException, and the caller reads and scores again.
   */
  async write(health: StoredHealth, readVersion: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.health(health.accountId), entity: 'health-score' satisfies Entity, ...health, version: readVersion + 1 },
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ExpressionAttributeValues: readVersion === 0 ? undefined : { ':version': readVersion },
      }),
    );
  }

  /** Published: the threshold alerts leave the score item (unless a newer look replaced them meanwhile). */
  announcedThresholds(accountId: string, scoredAt: string): Promise<void> {
    return this.removeIf(accountId, 'unannouncedThresholds', 'scoredAt = :value', scoredAt);
  }

  /** Published: the degradation leaves the score item (unless a newer score replaced it meanwhile). */
  announced(accountId: string, eventId: string): Promise<void> {
    return this.removeIf(accountId, 'unannounced', 'unannounced.eventId = :value', eventId);
  }

  /** Remove what was published from the score item, if `condition` (on `:value`) still holds: a newer write keeps its own. */
  private async removeIf(accountId: string, attribute: 'unannounced' | 'unannouncedThresholds', condition: string, value: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({ TableName: this.tableName, Key: keys.health(accountId), UpdateExpression: `REMOVE ${attribute}`, ConditionExpression: condition, ExpressionAttributeValues: { ':value': value } }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The account's day scores from `from` to `to` (local dates), oldest first. */
  async days(accountId: string, from: string, to: string): Promise<HealthDay[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': partitionOf('HEALTH', accountId), ':from': `HEALTH#DAY#${from}`, ':to': `HEALTH#DAY#${to}` },
        ConsistentRead: true,
      }),
    );
    return Items.map(({ day, score, band, high, low }) => ({ day: String(day), score: Number(score), band: band as HealthBand, high: Number(high), low: Number(low) }));
  }

  /** The day's snapshot: its latest score, and the highest and lowest of the day so far. */
  async writeDay(accountId: string, day: HealthDay, scoredAt: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.healthDay(accountId, day.day), entity: 'health-day' satisfies Entity, ...day, expiresAt: Math.floor(Date.parse(scoredAt) / 1000) + HEALTH_DAY_DAYS * 86_400 },
      }),
    );
  }

  /**
   * The account enters the roster the nightly rescore goes through, or its entry changes: with a score
   * (rescored every night), or without one, the day its thresholds next need a look. A put of the whole
   * entry: harmless twice. An entry from before thresholds existed (no `unscored`) is an account with a score.
   */
  async enroll({ accountId, scored, due }: RosterEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.healthRoster(accountId), entity: 'health-roster' satisfies Entity, accountId, ...(scored ? {} : { unscored: true }), ...(due === undefined ? {} : { due }) },
      }),
    );
  }

  /**
   * An account the ledger was given without an event (a scenario's or `npm start`'s accounts, imported
   * as already known) enters the roster unscored, with no day due, as the scorer's first look at its
   * `AccountUpdated` would have it on AWS: the Monday digest reads it, the nights leave it to its first
   * event. An entry already there is kept.
   */
  async enrollKnown(accountId: string): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.healthRoster(accountId), entity: 'health-roster' satisfies Entity, accountId, unscored: true },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  /** A page of the roster, after `after` (an account id), in id order; `next` when there is more. */
  async roster(after: string | undefined, limit: number): Promise<{ entries: RosterEntry[]; next?: string }> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
        ExpressionAttributeValues: { ':pk': 'HEALTH_ROSTER', ...(after === undefined ? {} : { ':after': after }) },
        Limit: limit,
      }),
    );
    const entries = Items.map(({ sk, unscored, due }) => ({ accountId: String(sk), scored: unscored !== true, ...(typeof due === 'string' ? { due } : {}) }));
    return { entries, ...(LastEvaluatedKey ? { next: entries.at(-1)!.accountId } : {}) };
  }

  /** Record the CSM's pulse, unless a newer one is held (a late or redelivered event changes nothing). */
  async recordPulse(accountId: string, pulse: CsmPulse): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.pulse(accountId), entity: 'csm-pulse' satisfies Entity, ...pulse, atMs: Date.parse(pulse.at) },
          ConditionExpression: 'attribute_not_exists(pk) OR atMs <= :atMs',
          ExpressionAttributeValues: { ':atMs': Date.parse(pulse.at) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async pulse(accountId: string): Promise<CsmPulse | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.pulse(accountId), ConsistentRead: true }));
    return Item && { csmId: String(Item.csmId), pulse: Number(Item.pulse), at: String(Item.at), eventId: String(Item.eventId) };
  }

  /** Record a ticket's status, unless a newer one is held; a solved ticket expires a year later. */
  async recordTicket(accountId: string, ticket: { ticketId: string; status: 'open' | 'pending' | 'solved'; at: string }): Promise<void> {
    const atMs = Date.parse(ticket.at);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.ticket(accountId, ticket.ticketId),
            entity: 'support-ticket' satisfies Entity,
            ...ticket,
            atMs,
            ...(ticket.status === 'solved' ? { expiresAt: Math.floor(atMs / 1000) + SOLVED_TICKET_DAYS * 86_400 } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR atMs <= :atMs',
          ExpressionAttributeValues: { ':atMs': atMs },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * The support measure's facts: the account's tickets still open (open or pending) and its client
   * e-mails still waiting for a first reply (functions/adapters/client-replies.ts); undefined when
   * neither a ticket nor a client e-mail is on file.
   */
  async support(accountId: string, now: Date, event?: { replyKey: string; answered: boolean }): Promise<{ openTickets: number; unansweredFeedback: number } | undefined> {
    const [tickets, replies] = await Promise.all([this.all('TICKET', accountId), this.all('REPLY', accountId)]);
    // An e-mail counts while it waits, up to UNANSWERED_EMAIL_DAYS: one answered by phone is never marked
    // replied, and must not weigh on the account for ever (an item from before `since` was stamped: not counted).
    const cutoff = now.getTime() - UNANSWERED_EMAIL_DAYS * 86_400_000;
    const waiting = (reply: Record<string, unknown>) => reply.repliedAt === undefined && typeof reply.since === 'string' && Date.parse(reply.since) >= cutoff;
    // The client e-mail or the reply that asked for the score, as client-feedback will record it a moment
    // later (its REPLY item, functions/adapters/client-replies.ts): the score must not miss it.
    const unanswered = new Set(replies.filter(waiting).map(({ sk }) => String(sk).slice('REPLY#'.length)));
    const replied = new Set(replies.filter((reply) => reply.repliedAt !== undefined).map(({ sk }) => String(sk).slice('REPLY#'.length)));
    if (event?.answered) unanswered.delete(event.replyKey);
    else if (event && !replied.has(event.replyKey)) unanswered.add(event.replyKey);
    if (tickets.length === 0 && replies.length === 0 && !event) return undefined;
    return { openTickets: tickets.filter(({ status }) => status !== 'solved').length, unansweredFeedback: unanswered.size };
  }

  /** Every item of the account's partition of `type`, keys included. */
  private async all(type: 'TICKET' | 'REPLY', accountId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery({ client: this.db }, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitionOf(type, accountId) }, ConsistentRead: true });
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }
}
