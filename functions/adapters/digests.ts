import { paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountRecord } from '../contracts/index.ts';
import { addCalendarDays } from '../core/calendar/business-time.ts';
import type { DigestAccount } from '../core/digest/compose.ts';
import { digestFacts } from '../core/digest/facts.ts';
import { digestWeek } from '../core/digest/schedule.ts';
import type { Task } from '../core/tasks/task.ts';
import type { Ledger } from './ledger.ts';
import type { Entity, SlaBreach } from './ledger-records.ts';
import { collect } from './ledger-table.ts';
import { keys, partitionOf } from './table.ts';

/** How long an account's facts for a digest are kept: what was said, for a while after it was said. */
const LINE_KEPT_DAYS = 60;

/** A person's Monday digest as the ledger holds it: claimed once per person and week, with what it said. */
export interface DigestRecord {
  personId: string;
  monday: string;
  /** Nothing to say: no digest sent. */
  empty: boolean;
  /** What the person reads (names accounts). Never logged, never in an execution's state. */
  text?: string | undefined;
  subject?: string | undefined;
  channels: ('slack' | 'email')[];
  claimedAt: string;
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

  /** What the digest due at `at` says of `account`, read from the ledger (functions/core/digest/facts.ts). */
  async factsOf(account: AccountRecord, at: Date, monday: string): Promise<DigestAccount> {
    const accountId = account.id;
    const before = addCalendarDays(digestWeek(monday).from, -1);
    const [{ health }, days, activity, touchpoint, tasks, breaches, alerts, answers] = await Promise.all([
      this.ledger.health.get(accountId),
      this.ledger.health.days(accountId, before, before),
      this.ledger.usage.activity(accountId),
      this.ledger.latestTouchpoint(accountId),
      this.all<Task>('TASK', accountId),
      this.all<SlaBreach>('SLA_BREACH', accountId),
      this.ledger.openAlertsOf(accountId),
      this.ledger.npsResponses(accountId),
    ]);
    return digestFacts(
      {
        account,
        health,
        bandBefore: days[0]?.band,
        lastActiveDay: activity.lastActiveDay,
        lastTouchpointAt: touchpoint?.at,
        tasks,
        slaBreaches: breaches,
        openAlerts: alerts.length,
        npsAnswers: answers,
      },
      at,
    );
  }

  /** Keep an account's facts for a person's digest (written again, the same, by a retried page). */
  async putLine(personId: string, monday: string, facts: DigestAccount, now: Date): Promise<void> {
    const expiresAt = Math.floor(now.getTime() / 1000) + LINE_KEPT_DAYS * 86_400;
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

  private all<T>(type: 'TASK' | 'SLA_BREACH', accountId: string): Promise<T[]> {
    return collect<T>(paginateQuery({ client: this.db }, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitionOf(type, accountId) }, ConsistentRead: true }));
  }
}
