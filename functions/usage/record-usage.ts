import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { formatUtcIso } from '../core/calendar/business-time.ts';
import { isLive } from '../core/checks/held-check.ts';
import { AccountNotFound } from '../core/errors.ts';
import { accountActive, contactNews } from '../core/usage/announcements.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Record one use of the product, or a contact's roll-up of a day (`ProductUsageRecorded`), in the
 * account's usage (functions/adapters/usage-records.ts): straight from the bus, no execution started,
 * at the volume a product sends. The day is the account's local date of the use (a roll-up names it).
 * What the use tells the playbooks (functions/core/usage/announcements.ts: a contact's return or first
 * use with a guide; on a contact's first use of the day, the account active with no check watching it)
 * goes on the bus before the use is written, so a call that fails anywhere tells it again when Lambda
 * retries it. Answers ids, the day and the transitions.
 */
export const recordUsage = definePlaybookFunction({
  id: 'record-usage',
  input: z.object({ detail: DetailSchemas.ProductUsageRecorded }),
  async run({ detail }, { ledger, settings, calendar, logger, now, events }) {
    const { accountId, contactId } = detail;
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const day = detail.day ?? calendar.localDate(new Date(detail.at!), account.timezone);
    const use = { day, features: [...(detail.features ?? []), ...(detail.feature ? [detail.feature] : [])] };
    const timestamp = detail.at ?? formatUtcIso(now());

    const read = await ledger.usage.readContact(accountId, contactId, use, settings.usage.welcomeBackAfterDays);
    const { news } = read;
    const told = contactNews({ accountId, contactId, day, news, guides: settings.usage, timestamp });
    // Whether a check watches the account: asked on a contact's first use of the day, not per use.
    if (news.firstUseOfDay) {
      const { check } = await ledger.usageChecks.get(accountId, false);
      if (check === undefined || !isLive(check, now())) told.push(accountActive({ accountId, day, timestamp }));
    }
    if (told.length > 0) {
      if (!events) throw new Error('record-usage publishes what a use tells: its runtime must give it the bus (lib/functions.ts publishes)');
      await events.publish(told);
    }
    await ledger.usage.recordUse(accountId, contactId, use, read);
    // No metric per use: Lambda's own Invocations count them, and an EMF line per use would cost more in logs than the recording.
    // Ids, the day and the transitions: a feature's name is the product's, never a person's.
    logger.debug('usage recorded', { accountId, contactId, eventId: detail.eventId, day, ...news, told: told.map(({ type }) => type) });
    return { accountId, contactId, day, ...news, told: told.map(({ type, data }) => ({ type, eventId: data.eventId })) };
  },
});
