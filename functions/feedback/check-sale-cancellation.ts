import { isoInstant, z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { cancelsSale } from '../core/feedback/suspension.ts';
import { noteId } from '../core/notes/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Seed 000: a suspension asked within `clientFeedback.saleCancellationMonths` (3) of the first invoice
 * cancels the sale. When it does, `sale-cancelled` is recorded on the account (a note, once per event)
 * and the playbook tells Sales. Dates are the account's local dates.
 */
export const checkSaleCancellation = definePlaybookFunction({
  id: 'check-sale-cancellation',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    eventId: z.string().check(z.minLength(1)),
    kind: z.string().check(z.minLength(1)),
    receivedAt: isoInstant(),
  }),
  async run({ accountId, eventId, kind, receivedAt }, { ledger, now, settings, logger, metrics }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const localDate = (instant: string) => formatLocalIso(new Date(instant), account.timezone).slice(0, 10);
    const billingStartedOn = account.billingStartedAt === undefined ? undefined : localDate(account.billingStartedAt);
    const months = settings.clientFeedback.saleCancellationMonths;
    if (!cancelsSale({ kind, localDate: localDate(receivedAt) }, billingStartedOn, months)) {
      logger.info('suspension does not cancel the sale', { accountId, eventId, billingStartedOn });
      return { saleCancelled: false };
    }
    const text = `sale-cancelled: suspension requested on ${localDate(receivedAt)}, within ${months} months of billing (started ${billingStartedOn}).`;
    const { created } = await ledger.recordNote({
      id: noteId({ accountId, playbook: 'client-feedback', reason: `${eventId}:sale-cancelled` }),
      accountId,
      playbook: 'client-feedback',
      reason: `${eventId}:sale-cancelled`,
      text,
      at: formatLocalIso(now(), account.timezone),
    });
    if (created) metrics.addMetric('SaleCancelled', 'Count', 1);
    logger.info('sale cancelled by an early suspension', { accountId, eventId, billingStartedOn });
    return { saleCancelled: true, text };
  },
});
