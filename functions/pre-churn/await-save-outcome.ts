import { updatePreChurnCase } from '../adapters/pre-churn-cases.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { outcomeView, park } from '../core/pre-churn/case.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * The Lambda behind a `lambda:invoke.waitForTaskToken` Task: parks the calling execution on its case
 * with its task token, until record-save-outcome resumes it with the outcome of the save. An outcome
 * recorded before the wait started (delivered before the cancellation, or while the execution was
 * between two waits) is not lost: the execution is resumed at once. `handled` is the outcome's event the
 * execution already acted on (a loss without proof): only a newer one resumes it. A retried invocation
 * (new token, same execution) replaces its token.
 */
export const awaitSaveOutcome = definePlaybookFunction({
  id: 'await-save-outcome',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    caseId: z.string().check(z.minLength(1)),
    /** The outcome event already acted on; empty: none. */
    handled: z.string(),
    /** `$$.Execution.Id`: whose token this is. */
    executionId: z.string().check(z.minLength(1)),
    /** `$$.Task.Token`. Never logged. */
    taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
  }),
  async run({ accountId, caseId, handled, executionId, taskToken }, { ledger, now, logger, callbacks }) {
    const { resume, view } = await updatePreChurnCase(ledger, accountId, caseId, (record) => {
      if (!record?.opened) throw new Error(`Pre-churn case ${caseId} of account ${accountId} is not open`);
      const parked = park(record, { executionId, token: taskToken, handled, since: formatLocalIso(now(), record.timezone) });
      return { write: parked.record, result: { resume: parked.resume, view: parked.resume ? outcomeView(parked.record) : undefined } };
    });
    logger.info(resume ? 'outcome already recorded: resumed at once' : 'waiting for the save outcome', { accountId, caseId, resumed: resume, ...(view ? { status: view.status } : {}) });
    if (view) {
      if (!callbacks) throw new Error('await-save-outcome needs the task callbacks port to resume an execution on a recorded outcome');
      await callbacks.sendTaskSuccess(taskToken, view);
    }
    return { caseId, resumed: resume };
  },
});
