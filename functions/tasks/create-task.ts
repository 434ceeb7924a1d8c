import { fileTask } from '../adapters/tasks.ts';
import { joinText, OwnerRole, StepText, TaskKind } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { describeFailure } from '../core/tasks/failure.ts';
import { planTask } from '../core/tasks/task.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

const DueRule = z.discriminatedUnion('rule', [
  z.object({ rule: z.literal('today') }),
  z.object({ rule: z.literal('at'), at: isoInstant() }),
]);

/**
 * Create a task for the account's owner of `ownerRole`, once per reason, due per `due`: in the ledger,
 * where it exists from now on, with its mirror to the CRM where the CSM works queued (once: the dispatch
 * drain delivers it, after a CRM outage too; a later run never resends a task someone completed there).
 */
export const createTask = definePlaybookFunction({
  id: 'create-task',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    kind: TaskKind,
    ownerRole: OwnerRole,
    reason: z.string().check(z.minLength(1)),
    due: DueRule,
    /**
     * The text (any length: the task keeps the start of it, planTask), its sealed parts opened: a text
     * that names people travels sealed (functions/adapters/sealed.ts), execution state carries its id.
     */
    details: z.optional(StepText),
    /** A manual follow-up's failed step, as a Catch hands it over (`$.failure`): described, never dumped. */
    failure: z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) })),
    /** The event the failed run was handling, named in the description. */
    eventId: z.optional(z.string()),
    /** What the failed step did, for a manual follow-up after which the playbook goes on: the CSM does it by hand. */
    step: z.optional(z.string().check(z.minLength(1))),
  }),
  async run({ failure, eventId, step, details, ...rest }, { ledger, now, calendar, logger, metrics }) {
    const request = { ...rest, details: failure ? describeFailure(failure, eventId, step) : joinText(details) };
    const account = await ledger.getAccount(request.accountId);
    if (!account) throw new AccountNotFound(request.accountId);
    const { created, item, queued } = await fileTask(ledger, planTask(request, account, now(), calendar), now());
    if (created) metrics.addMetric(`Task_${request.kind}`, 'Count', 1);
    // Ids and kinds only: names and e-mail addresses never go to logs.
    logger.info(created ? 'task created' : 'task already exists', { accountId: item.accountId, taskId: item.id, kind: item.kind });
    if (queued) logger.info('task queued for the CRM', { accountId: item.accountId, taskId: item.id });
    return { taskId: item.id, kind: item.kind, owner: item.owner, dueAt: item.dueAt, created };
  },
});
