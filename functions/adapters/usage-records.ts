import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addCalendarDays } from '../core/calendar/business-time.ts';
import { daysToForget, newsOf, USAGE_WINDOW_DAYS, type ActiveDay, type ContactUsage, type Use, type UsageNews } from '../core/usage/usage.ts';
import type { Entity } from './ledger-records.ts';
import { keys, partitionOf } from './table.ts';

/** How many days past the window a contact's item holds before they are pruned. */
const PRUNE_AFTER_STALE_DAYS = 10;

/** How long a day's count is kept: the latest says since when an account is idle, and a year's idleness is said. */
const DAY_ITEM_DAYS = 400;

/**
 * An account's product usage in the ledger, in the shape its questions need (functions/core/usage):
 *
 *   pk USAGE#<id>  sk USAGE#CONTACT#<contactId>  the days (last 35, a string set) a contact used the product, the features they ever used
 *   pk USAGE#<id>  sk USAGE#DAY#<yyyy-mm-dd>     the account's active users that local day (each counted once), kept 400 days
 *
 * A use reads the contact's item (what it held before tells the news: functions/core/usage newsOf),
 * then writes it (one UpdateItem, which answers what it held just before) and, on the contact's first
 * use of the day as that write says, the day's count (which answers whether the day is new to the
 * account): a day's roll-up costs a read and two item writes, a repeated use a read and a write. The news is read before the write so that a call that fails in
 * between (publishing it) tells the same news when retried; the count follows the write's own answer,
 * so two deliveries of a use at once count the day once. Set-valued, so a redelivered or repeated use
 * changes nothing. The account's latest day item says since when it is idle: an older use never moves it back.
 */
export class UsageRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * What one use (or a day's roll-up) of `contactId` (undefined: a use no contact is named for) on the
   * account's local `use.day` tells, read before `recordUse` writes it.
   */
  async newsOfUse(accountId: string, contactId: string | undefined, use: Use, welcomeBackAfterDays: number): Promise<UsageNews> {
    if (contactId === undefined) return { firstUse: false, firstUseOfDay: true, newFeatures: [] };
    // Eventually consistent: a redelivery read stale tells the same news twice, which its playbooks dedupe (half the read's cost).
    return newsOf(await this.contactUsage(accountId, contactId, false), use, welcomeBackAfterDays);
  }

  /**
   * Record the use: the contact's days and features, the day's count on their first use of it (as the
   * write says). Answers whether the use was the account's first of the day (as the day's count says:
   * of uses delivered at once, one only).
   */
  async recordUse(accountId: string, contactId: string | undefined, use: Use): Promise<{ accountFirstOfDay: boolean }> {
    const before = contactId === undefined ? undefined : await this.touchContact(accountId, contactId, use);
    let accountFirstOfDay = false;
    if (contactId === undefined || !before?.days.includes(use.day)) {
      accountFirstOfDay = await this.countDay(accountId, use.day, contactId === undefined ? 0 : 1);
      // Pruned ten days at a time: a daily user's item is pruned every tenth day, not every day (a write each).
      const stale = (before?.days ?? []).filter((day) => day < addCalendarDays(use.day, -USAGE_WINDOW_DAYS));
      if (contactId !== undefined && stale.length >= PRUNE_AFTER_STALE_DAYS) await this.forgetDays(accountId, contactId, use.day);
    }
    return { accountFirstOfDay };
  }

  /**
   * The account's latest active days, newest first (USAGE_WINDOW_DAYS + 1 of them at most, whatever
   * their age), in one query: the first says since when it is idle, those of the last weeks how they went.
   */
  async activity(accountId: string): Promise<{ days: ActiveDay[]; lastActiveDay?: string }> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :days)',
        ExpressionAttributeValues: { ':pk': partitionOf('USAGE', accountId), ':days': 'USAGE#DAY#' },
        ScanIndexForward: false,
        Limit: USAGE_WINDOW_DAYS + 1,
        ConsistentRead: true,
      }),
    );
    const days = Items.map(({ day, users }) => ({ day: String(day), users: Number(users ?? 0) }));
    return { days, ...(days[0] ? { lastActiveDay: days[0].day } : {}) };
  }

  /** A contact's usage as held: their days of the window (and up to ten older, not yet pruned), the features they ever used. */
  async contactUsage(accountId: string, contactId: string, consistent = true): Promise<ContactUsage | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contactUsage(accountId, contactId), ConsistentRead: consistent }));
    return Item && { days: [...((Item.days as Set<string> | undefined) ?? [])].sort(), features: [...((Item.features as Set<string> | undefined) ?? [])].sort() };
  }

  /** The contact's item, its days and features added; answers what it held just before (undefined: never seen). */
  private async touchContact(accountId: string, contactId: string, { day, features }: Use): Promise<ContactUsage | undefined> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.contactUsage(accountId, contactId),
        UpdateExpression: `SET entity = :entity, accountId = :accountId, contactId = :contactId ADD #days :day${features.length > 0 ? ', features :features' : ''}`,
        ExpressionAttributeNames: { '#days': 'days' },
        ExpressionAttributeValues: {
          ':entity': 'contact-usage' satisfies Entity,
          ':accountId': accountId,
          ':contactId': contactId,
          ':day': new Set([day]),
          ...(features.length > 0 ? { ':features': new Set(features) } : {}),
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (!Attributes) return undefined;
    return { days: [...((Attributes.days as Set<string> | undefined) ?? [])], features: [...((Attributes.features as Set<string> | undefined) ?? [])] };
  }

  /** Count a user on the account's day; answers whether the day is new to the account. */
  private async countDay(accountId: string, day: string, users: number): Promise<boolean> {
    const expiresAt = Math.floor(Date.parse(`${addCalendarDays(day, DAY_ITEM_DAYS)}T00:00:00Z`) / 1000);
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.usageDay(accountId, day),
        UpdateExpression: 'SET entity = :entity, accountId = :accountId, #day = :day, expiresAt = :expiresAt ADD #users :users',
        ExpressionAttributeNames: { '#day': 'day', '#users': 'users' },
        ExpressionAttributeValues: { ':entity': 'usage-day' satisfies Entity, ':accountId': accountId, ':day': day, ':expiresAt': expiresAt, ':users': users },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return Attributes === undefined;
  }

  /** Drop the contact's days older than the window (a set cannot be added to and pruned in one update). */
  private async forgetDays(accountId: string, contactId: string, day: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.contactUsage(accountId, contactId),
        UpdateExpression: 'DELETE #days :forget',
        ExpressionAttributeNames: { '#days': 'days' },
        ExpressionAttributeValues: { ':forget': new Set(daysToForget(day)) },
      }),
    );
  }
}
