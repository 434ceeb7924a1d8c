import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Record one use of the product, or a contact's roll-up of a day (`ProductUsageRecorded`), in the
 * account's usage (functions/adapters/usage-records.ts): straight from the bus, no execution started,
 * at the volume a product sends. The day is the account's local date of the use (a roll-up names it).
 * Answers what the use tells (functions/core/usage: a first use, a feature's first use, a return after
 * `usage.welcomeBackAfterDays`): ids and day only.
 */
export const recordUsage = definePlaybookFunction({
  id: 'record-usage',
  input: z.object({ detail: DetailSchemas.ProductUsageRecorded }),
  async run({ detail }, { ledger, settings, calendar, logger }) {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const day = detail.day ?? calendar.localDate(new Date(detail.at!), account.timezone);
    const features = [...(detail.features ?? []), ...(detail.feature ? [detail.feature] : [])];
    const news = await ledger.usage.recordUse(detail.accountId, detail.contactId, { day, features }, settings.usage.welcomeBackAfterDays);
    // No metric per use: Lambda's own Invocations count them, and an EMF line per use would cost more in logs than the recording.
    // Ids, the day and the transitions: a feature's name is the product's, never a person's.
    logger.debug('usage recorded', { accountId: detail.accountId, contactId: detail.contactId, eventId: detail.eventId, day, ...news });
    return { accountId: detail.accountId, contactId: detail.contactId, day, ...news };
  },
});
