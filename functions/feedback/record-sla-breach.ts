import { recordSlaBreach as recordBreach } from '../adapters/client-replies.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * A service level was broken (a client e-mail without a first reply after 24 hours): record it in the
 * ledger once and count it (metric `SlaBreach_first-reply`, the alarm ops can put on it), however many
 * times the step is retried or the event redelivered.
 */
export const recordSlaBreach = definePlaybookFunction({
  id: 'record-sla-breach',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    sla: z.enum(['first-reply']),
    key: z.string().check(z.minLength(1)),
    dueAt: z.string().check(z.minLength(1)),
  }),
  async run({ accountId, sla, key, dueAt }, { ledger, now, logger, metrics }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { created } = await recordBreach(ledger, { accountId, sla, key, dueAt, recordedAt: formatLocalIso(now(), account.timezone) });
    if (created) metrics.addMetric(`SlaBreach_${sla}`, 'Count', 1);
    logger.warn('service level broken', { accountId, sla, dueAt, firstRecord: created });
    return { created };
  },
});
