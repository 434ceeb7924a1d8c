import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * After a wait (invariant 5, exit on goal): which of these tasks are still open, with their owners and
 * a line saying so for an escalation task. A task the ledger does not hold (its creation failed; a
 * manual follow-up was made instead) counts as open: nobody acknowledged anything.
 */
export const findOpenTasks = definePlaybookFunction({
  id: 'find-open-tasks',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    taskIds: z.array(z.optional(z.string())),
  }),
  async run({ accountId, taskIds }, { ledger, logger }) {
    const open: { taskId: string; owner: string; ownerRole: string; createdAt: string }[] = [];
    for (const taskId of taskIds) {
      if (!taskId) continue;
      const task = await ledger.getTask(accountId, taskId);
      if (task && task.status !== 'completed') open.push({ taskId, owner: task.owner, ownerRole: task.ownerRole, createdAt: task.createdAt });
    }
    logger.info('open tasks after the wait', { accountId, checked: taskIds.length, open: open.length });
    const details = open.map((task) => `${task.ownerRole} ${task.owner} has not acknowledged it (task ${task.taskId}, since ${task.createdAt})`).join('\n');
    return { open, anyOpen: open.length > 0, details };
  },
});
