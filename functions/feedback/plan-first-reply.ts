import { seal } from '../adapters/sealed.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { firstReplyDetails, firstReplyDue, replyKey, secondsUntil } from '../core/feedback/first-reply.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * The first-reply rule of a client's e-mail, as the playbook needs it: the due time (`receivedAt` +
 * `clientFeedback.firstReplyHours`), how long to wait for the reply from now (the waiting Task's
 * `TimeoutSecondsPath`: a Task's timeout cannot read the settings), which message the reply must
 * answer, and the `first-reply` task's body with the template, sealed (it names the client's contact:
 * execution state carries its id).
 */
export const planFirstReply = definePlaybookFunction({
  id: 'plan-first-reply',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    eventId: z.string().check(z.minLength(1)),
    contactId: z.string().check(z.minLength(1)),
    messageId: z.optional(z.string().check(z.minLength(1))),
    receivedAt: isoInstant(),
  }),
  async run(feedback, { ledger, now, settings, logger }) {
    const account = await ledger.getAccount(feedback.accountId);
    if (!account) throw new AccountNotFound(feedback.accountId);
    const due = firstReplyDue(feedback.receivedAt, settings.clientFeedback.firstReplyHours);
    const dueAt = formatLocalIso(due, account.timezone);
    const plan = {
      replyKey: replyKey(feedback),
      dueAt,
      timeoutSeconds: secondsUntil(due, now()),
      details: await seal(ledger, account.id, feedback.eventId, 'first-reply', firstReplyDetails(account, feedback.contactId, dueAt, settings), now()),
    };
    logger.info('first reply planned', { accountId: feedback.accountId, eventId: feedback.eventId, dueAt, timeoutSeconds: plan.timeoutSeconds });
    return plan;
  },
});
