import { DetailType, type DomainEventMessage } from '../../contracts/index.ts';
import type { UsageNews } from './usage.ts';

/**
 * What the recorder tells the playbooks about one use (docs/playbooks.md, usage), as domain events:
 * the transitions only, never a count, so an account's thousands of uses a month start a handful of
 * executions. Each event's id is derived from what it tells: a retry or a redelivery publishes the same
 * ids, which the playbooks dedupe on.
 */

/**
 * A contact's news:
 * - `ContactReturned`: back after `welcomeBackAfterDays` idle days: welcome-back.
 * - `FeatureFirstUsed`: their first use of a feature with a guide (`featureGuides`), or of the product
 *   when there is a getting-started guide (`productGuide`): feature-guide.
 * A use no contact is named for tells none.
 */
export interface ContactUse {
  accountId: string;
  contactId: string | undefined;
  day: string;
  news: UsageNews;
  guides: { featureGuides: Readonly<Record<string, string>>; productGuide?: string | undefined };
  /** The use's instant, or the recording's for a day's roll-up. */
  timestamp: string;
}

export function contactNews({ accountId, contactId, day, news, guides, timestamp }: ContactUse): DomainEventMessage[] {
  if (contactId === undefined) return [];
  const events: DomainEventMessage[] = [];
  if (news.returnedAfterDays !== undefined) {
    events.push({ type: DetailType.ContactReturned, timestamp, data: { eventId: `returned-${accountId}-${contactId}-${day}`, accountId, contactId, day, idleDays: news.returnedAfterDays } });
  }
  if (news.firstUse && guides.productGuide !== undefined) {
    events.push({ type: DetailType.FeatureFirstUsed, timestamp, data: { eventId: `first-use-${accountId}-${contactId}`, accountId, contactId, day } });
  }
  for (const feature of news.newFeatures.filter((name) => Object.hasOwn(guides.featureGuides, name))) {
    events.push({ type: DetailType.FeatureFirstUsed, timestamp, data: { eventId: `first-use-${accountId}-${contactId}-${feature}`, accountId, contactId, day, feature } });
  }
  return events;
}

/**
 * `AccountActive`: the account's first use of a day while no usage check is live for it (its first
 * use ever, its return after the check ended, or after it stopped): usage-check claims it. One id a day.
 */
export function accountActive({ accountId, day, timestamp }: { accountId: string; day: string; timestamp: string }): DomainEventMessage {
  return { type: DetailType.AccountActive, timestamp, data: { eventId: `active-${accountId}-${day}`, accountId, day } };
}
