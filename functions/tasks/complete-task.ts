import { isoInstant, z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * `TaskCompleted` (the CRM says the owner closed a task): mark the ledger's task completed, once (a
 * redelivery keeps the first time). What waits on it (a client risk's acknowledgements) reads it there.
 * A task the ledger does not hold (made in the CRM by hand) is not an error: nothing waits on it.
 */
export const completeTask = definePlaybookFunction({
  id: 'complete-task',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    eventId: z.string().check(z.minLength(1)),
    taskId: z.string().check(z.minLength(1)),
    at: isoInstant(),
  }),
  async run({ accountId, eventId, taskId, at }, { ledger, logger }) {
    const known = await ledger.completeTask(accountId, taskId, at);
    logger.info(known ? 'task completed' : 'completed task not in the ledger', { accountId, eventId, taskId });
    return { known };
  },
});
