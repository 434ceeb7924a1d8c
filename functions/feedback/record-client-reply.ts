import { recordReply } from '../adapters/client-replies.ts';
import { TaskTokenGone } from '../adapters/step-functions/task-callbacks.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * `ClientReplySent`: record the first reply to a client's e-mail (the first one wins; a redelivery or a
 * second reply changes nothing), then resume the client-feedback execution waiting for it, if one
 * waits yet (otherwise its wait finds the reply recorded). Step Functions no longer waiting on the
 * token (the 24 hours passed, or the execution was resumed already) is not an error: the reply is on
 * record either way.
 */
export const recordClientReply = definePlaybookFunction({
  id: 'record-client-reply',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    eventId: z.string().check(z.minLength(1)),
    /** The client message it answers (the helpdesk's id, or the feedback event's). */
    inReplyTo: z.string().check(z.minLength(1)),
    at: isoInstant(),
  }),
  async run({ accountId, eventId, inReplyTo, at }, { ledger, logger, callbacks }) {
    const meeting = await recordReply(ledger, accountId, inReplyTo, at);
    const tokens = Object.values(meeting.waiters ?? {});
    if (tokens.length === 0) {
      logger.info('reply recorded; nothing waits for it yet', { accountId, eventId });
      return { resumed: 0 };
    }
    if (!callbacks) throw new Error('record-client-reply needs the task callbacks port to resume the waiting executions');
    let resumed = 0;
    for (const token of tokens) {
      try {
        await callbacks.sendTaskSuccess(token, { repliedAt: meeting.repliedAt });
        resumed++;
      } catch (error) {
        // That wait ended already (its 24 hours passed, or an earlier delivery of this reply resumed it).
        if (!(error instanceof TaskTokenGone)) throw error;
      }
    }
    logger.info('reply recorded; waiting executions resumed', { accountId, eventId, waiting: tokens.length, resumed });
    return { resumed };
  },
});
