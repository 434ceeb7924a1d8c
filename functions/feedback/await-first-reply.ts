import { awaitReply } from '../adapters/client-replies.ts';
import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * The Lambda behind a `lambda:invoke.waitForTaskToken` Task: parks the client-feedback execution until
 * the first reply to the client's e-mail (`ClientReplySent` for that message, recorded by
 * record-client-reply), or until its Task times out at the due time. A reply recorded before the wait
 * (the CSM was quick, or events crossed) resumes it at once. A retried invocation registers its new
 * token in place of the old one.
 */
export const awaitFirstReply = definePlaybookFunction({
  id: 'await-first-reply',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    replyKey: z.string().check(z.minLength(1)),
    /** `$$.Execution.Id`. */
    executionId: z.string().check(z.minLength(1)),
    /** `$$.Task.Token`. Never logged. */
    taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
  }),
  async run({ accountId, replyKey, executionId, taskToken }, { ledger, logger, callbacks, now }) {
    const meeting = await awaitReply(ledger, accountId, replyKey, { executionId, token: taskToken, since: now().toISOString() });
    if (meeting.repliedAt === undefined) {
      logger.info('waiting for the first reply', { accountId });
      return { waiting: true };
    }
    if (!callbacks) throw new Error('await-first-reply needs the task callbacks port to resume on a reply already sent');
    await callbacks.sendTaskSuccess(taskToken, { repliedAt: meeting.repliedAt });
    logger.info('first reply already sent: resumed at once', { accountId });
    return { waiting: false };
  },
});
