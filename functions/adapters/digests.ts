import { paginateQuery, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountRecord } from '../contracts/index.ts';
import { addCalendarDays, localDate } from '../core/calendar/business-time.ts';
import type { DigestAccount } from '../core/digest/compose.ts';
import { digestFacts } from '../core/digest/facts.ts';
import type { HealthBand } from '../core/health/score.ts';
import type { Ledger } from './ledger.ts';
import type { Entity } from './ledger-records.ts';
import { collect } from './ledger-table.ts';
import { keys, partitionOf } from './table.ts';

/**
 * How long a digest and the facts gathered for it are kept: what was said, for a while after it was
 * said, and well past the 14 days a failed execution can be redriven (a redrive finds its claim).
 */
export const DIGEST_KEPT_DAYS = 60;

/** A person's Monday digest as the ledger holds it: claimed once per person and week, with what it said. */
export interface DigestRecord {
  personId: string;
  monday: string;
  /** Nothing to say: no digest sent. */
  empty: boolean;
  /** What the person reads (names accounts). Never logged, never in an execution's state. */
  text?: string | undefined;
  subject?: string | undefined;
  /** Where it goes, decided when it is claimed: the person's Slack member id (or the id itself) and e-mail address, for the channels that have one. */
  to: { slack?: string | undefined; email?: string | undefined };
  claimedAt: string;
  /** Epoch seconds: `DIGEST_KEPT_DAYS` after the claim. */
  expiresAt: number;
  /** Where Slack posted it, SES's message id: written by the dispatch drain. */
  slackMessage?: string | undefined;
  messageId?: string | undefined;
}

/**
 * The Monday digests in the ledger (functions/adapters/table.ts, `DIGEST#<personId>`): each account's
 * facts gathered for a person's digest at its hour, then the digest itself, claimed once per person and
 * week by a conditional put, so a redelivered schedule, a retried step or a redriven execution never
 * sends a second one.
 */
export class DigestRecords {
  constructor(
    private readonly ledger: Ledger,
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * What the note covering `week` says of `account`, read from the ledger (functions/core/digest/facts.ts):
   * each read is one Query or GetItem, and asks only the attributes the note uses (an NPS answer's
   * comment, a task's title never leave the table).
   */
  async factsOf(account: AccountRecord, week: { from: Date; to: Date }): Promise<DigestAccount> {
    const accountId = account.id;
    const dayBefore = addCalendarDays(localDate(week.from, account.timezone), -1);
    const [{ health }, bandBefore, activity, touchpoint, clientEmails, tasks, breaches, alerts, answers] = await Promise.all([
      this.ledger.health.get(accountId),
      this.bandOn(accountId, dayBefore),
      this.ledger.usage.activity(accountId),
      this.ledger.latestTouchpoint(accountId),
      this.all<{ since?: string }>('REPLY', accountId, 'since'),
      this.all<{ status: 'open' | 'completed'; dueAt: string }>('TASK', accountId, 'status, dueAt', { filter: '#status = :open', values: { ':open': 'open' } }),
      this.all<{ recordedAt: string }>('SLA_BREACH', accountId, 'recordedAt'),
      this.ledger.openAlertsOf(accountId),
      this.all<{ score: number; respondedAt: string }>('NPS', accountId, 'score, respondedAt'),
    ]);
    return digestFacts(
      {
        account,
        health,
        bandBefore,
        lastActiveDay: activity.lastActiveDay,
        lastTouchpointAt: touchpoint?.at,
        clientEmailsAt: clientEmails.flatMap(({ since }) => (since ? [since] : [])),
        tasks,
        slaBreaches: breaches,
        openAlerts: alerts.length,
        npsAnswers: answers,
      },
      week,
    );
  }

  /** The band of the latest day scored on or before `day` (the trend's days, kept 400 days). */
  private async bandOn(accountId: string, day: string): Promise<HealthBand | undefined> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': partitionOf('HEALTH', accountId), ':from': 'HEALTH#DAY#', ':to': `HEALTH#DAY#${day}` },
        ProjectionExpression: 'band',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const band = Items[0]?.band;
    return band === 'red' || band === 'yellow' || band === 'green' ? band : undefined;
  }

  /** Keep an account's facts for a person's digest (written again, the same, by a retried page). */
  async putLine(personId: string, monday: string, facts: DigestAccount, now: Date): Promise<void> {
    const expiresAt = Math.floor(now.getTime() / 1000) + DIGEST_KEPT_DAYS * 86_400;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.digestLine(personId, monday, facts.id), entity: 'digest-line' satisfies Entity, ...facts, expiresAt } }));
  }

  /** The facts gathered for a person's digest, one per account. */
  async lines(personId: string, monday: string): Promise<DigestAccount[]> {
    const { pk, sk } = keys.digest(personId, monday);
    const items = await collect<DigestAccount & { expiresAt?: number }>(
      paginateQuery({ client: this.db }, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lines)', ExpressionAttributeValues: { ':pk': pk, ':lines': `${sk}#` }, ConsistentRead: true }),
    );
    return items.map(({ expiresAt: _expiresAt, ...line }) => line);
  }

  /** Claim a person's digest of a week, once: the first claim's record is what every later one reads. */
  claim(digest: DigestRecord): Promise<{ created: boolean; item: DigestRecord }> {
    return this.ledger.putOnce(keys.digest(digest.personId, digest.monday), 'digest', digest);
  }

  /** Every item of one of the account's types, only `attributes` of each (and only those `filter` keeps, naming them `#<attribute>`). */
  private all<T>(type: 'TASK' | 'SLA_BREACH' | 'REPLY' | 'NPS', accountId: string, attributes: string, only?: { filter: string; values: Record<string, unknown> }): Promise<T[]> {
    // `status` is a reserved word: every attribute is named through #names.
    const names = Object.fromEntries(attributes.split(', ').map((name) => [`#${name}`, name]));
    return collect<T>(
      paginateQuery(
        { client: this.db },
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ProjectionExpression: Object.keys(names).join(', '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':pk': partitionOf(type, accountId), ...only?.values },
          ...(only ? { FilterExpression: only.filter } : {}),
          ConsistentRead: true,
        },
      ),
    );
  }
}
