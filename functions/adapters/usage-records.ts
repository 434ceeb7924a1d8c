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
 *   pk USAGE#<id>  sk USAGE#DAY#<yyyy-mm-dd>     the account's active users that local day (their ids, a string set), kept 400 days
 *
 * A use reads the contact's item first (`readContact`: what it held tells the news, functions/core/usage
 * newsOf), then, on the contact's first use of the day, adds them to the day's users, then adds the day
 * and the features to their item: a day's roll-up costs a read and two item writes, a repeated use a
 * read and a write. Every write adds to a set, so a redelivered, repeated or retried use changes
 * nothing, and a call that fails between two writes, retried, completes them: the read still says it
 * is the contact's first use of the day until their own item is written, last. The account's latest
 * day item says since when it is idle: an older use never moves it back.
 */
export class UsageRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * What a use of `contactId` (undefined: a use no contact is named for) finds before it is recorded,
   * and what it tells (functions/core/usage newsOf). Eventually consistent (half the read's cost): a read
   * a moment stale tells the same news twice, which the playbooks dedupe, and adds the contact to a day
   * they are already in, which changes nothing.
   */
  async readContact(accountId: string, contactId: string | undefined, use: Use, welcomeBackAfterDays: number): Promise<{ before: ContactUsage | undefined; news: UsageNews }> {
    if (contactId === undefined) return { before: undefined, news: { firstUse: false, firstUseOfDay: true, newFeatures: [] } };
    const before = await this.contactUsage(accountId, contactId, false);
    return { before, news: newsOf(before, use, welcomeBackAfterDays) };
  }

  /** Record the use `readContact` read: the day's users on the contact's first use of it, then their own item. */
  async recordUse(accountId: string, contactId: string | undefined, use: Use, { before, news }: { before: ContactUsage | undefined; news: UsageNews }): Promise<void> {
    if (news.firstUseOfDay) await this.countDay(accountId, use.day, contactId);
    if (contactId === undefined) return;
    await this.touchContact(accountId, contactId, use);
    // Pruned ten days at a time: a daily user's item is pruned every tenth day, not every day (a write each).
    const stale = (before?.days ?? []).filter((day) => day < addCalendarDays(use.day, -USAGE_WINDOW_DAYS));
    if (news.firstUseOfDay && stale.length >= PRUNE_AFTER_STALE_DAYS) await this.forgetDays(accountId, contactId, use.day);
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
    // `users`: the count items written before the day's users were a set.
    const days = Items.map(({ day, contacts, users }) => ({ day: String(day), users: contacts instanceof Set ? contacts.size : Number(users ?? 0) }));
    return { days, ...(days[0] ? { lastActiveDay: days[0].day } : {}) };
  }

  /** A contact's usage as held: their days of the window (and up to ten older, not yet pruned), the features they ever used. */
  async contactUsage(accountId: string, contactId: string, consistent = true): Promise<ContactUsage | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contactUsage(accountId, contactId), ConsistentRead: consistent }));
    return Item && { days: [...((Item.days as Set<string> | undefined) ?? [])].sort(), features: [...((Item.features as Set<string> | undefined) ?? [])].sort() };
  }

  /** The contact's item, its days and features added. */
  private async touchContact(accountId: string, contactId: string, { day, features }: Use): Promise<void> {
    await this.db.send(
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
      }),
    );
  }

  /** The account's day marked active, and the contact (if named) among its users: a set, so once however often. */
  private async countDay(accountId: string, day: string, contactId: string | undefined): Promise<void> {
    const expiresAt = Math.floor(Date.parse(`${addCalendarDays(day, DAY_ITEM_DAYS)}T00:00:00Z`) / 1000);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.usageDay(accountId, day),
        UpdateExpression: `SET entity = :entity, accountId = :accountId, #day = :day, expiresAt = :expiresAt${contactId === undefined ? '' : ' ADD contacts :contact'}`,
        ExpressionAttributeNames: { '#day': 'day' },
        ExpressionAttributeValues: {
          ':entity': 'usage-day' satisfies Entity,
          ':accountId': accountId,
          ':day': day,
          ':expiresAt': expiresAt,
          ...(contactId === undefined ? {} : { ':contact': new Set([contactId]) }),
        },
      }),
    );
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
