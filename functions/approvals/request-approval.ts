import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { draftUpForApproval } from '../adapters/approval-drafts.ts';
import type { EmailRecord } from '../adapters/ledger.ts';
import { ApprovalKind, type AccountRecord } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { callbackOutput, type ApprovalRecord } from '../core/approvals/approval.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { approvalId } from '../core/tasks/identity.ts';
import { planTask, type Task } from '../core/tasks/task.ts';
import { definePlaybookFunction, type PlaybookDeps } from '../runtime/playbook-function.ts';

/** Two writers racing on one approval (a decision, a redelivery) settle within a few rounds. */
const MAX_WRITE_ATTEMPTS = 3;

const RequestApprovalInput = z.object({
  accountId: z.string().check(z.minLength(1)),
  playbook: z.string().check(z.minLength(1)),
  kind: ApprovalKind,
  reason: z.string().check(z.minLength(1)),
  /** prepare-email's `emailId`: the draft put up for approval, read from the ledger (never carried in the state). */
  emailId: z.string().check(z.minLength(1)),
  /** PlanApproval's `expiresAt`; an existing approval keeps its own. */
  expiresAt: isoInstant(),
  /** `$$.Execution.Id`: whose token this is. */
  executionId: z.string().check(z.minLength(1)),
  /** `$$.Task.Token`. Never logged. */
  taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
});
type RequestInput = z.infer<typeof RequestApprovalInput>;

/**
 * The Lambda behind a `lambda:invoke.waitForTaskToken` Task: records the approval of the draft
 * prepare-email recorded (once per account + playbook + kind + reason), parks the calling execution
 * on it with its task token, and gives the CSM an `email-approval` task pointing to it, showing the
 * e-mail as read from the ledger. It returns at once (Step Functions ignores the result);
 * the execution waits until `POST /approvals/<id>` resumes it, or its Task times out at the expiry.
 *
 * A retried invocation (new token, same execution) replaces that execution's token; a redelivered
 * event (another execution) waits on the same approval. One that finds the approval decided already
 * is resumed at once with the recorded decision, so a replay sends nothing twice and waits for nothing.
 */
export const requestApproval = definePlaybookFunction({
  id: 'request-approval',
  input: RequestApprovalInput,
  async run(input, deps): Promise<{ approvalId: string; status: ApprovalRecord['status']; taskId: string; created: boolean }> {
    const { ledger, logger, metrics } = deps;
    const account = await ledger.getAccount(input.accountId);
    if (!account) throw new AccountNotFound(input.accountId);
    const id = approvalId(input);
    const draft = await draftUpForApproval(ledger, input.accountId, input.emailId, id);
    const task = approvalTask(id, input, draft, account, deps);
    await ledger.createTask(task);

    for (let attempt = 1; ; attempt++) {
      const { approval, version } = await ledger.getApproval(id);
      const record = approval ?? newApproval(id, input, draft, account, task.id, deps);
      const decided = record.status === 'approved' || record.status === 'cancelled';
      const since = formatLocalIso(deps.now(), account.timezone);
      const next: ApprovalRecord = {
        ...record,
        waiters: { ...record.waiters, [input.executionId]: { token: input.taskToken, since, state: decided ? 'resumed' : 'waiting' } },
      };
      try {
        await ledger.writeApproval(next, version);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException && attempt < MAX_WRITE_ATTEMPTS) continue;
        throw error;
      }
      if (!approval) metrics.addMetric('ApprovalRequested', 'Count', 1);
      // Ids only: the e-mail names the contact and the token is a credential.
      logger.info(approval ? 'execution parked on an existing approval' : 'approval requested', { approvalId: id, status: record.status, taskId: task.id });
      if (decided && record.outcome) {
        if (!deps.callbacks) throw new Error('request-approval needs the task callbacks port to resume an execution on a decided approval');
        await deps.callbacks.sendTaskSuccess(input.taskToken, callbackOutput(record.outcome));
      }
      return { approvalId: id, status: record.status, taskId: task.id, created: !approval };
    }
  },
});

function newApproval(id: string, input: RequestInput, draft: EmailRecord, account: AccountRecord, taskId: string, { now }: PlaybookDeps): ApprovalRecord {
  return {
    id,
    accountId: input.accountId,
    playbook: input.playbook,
    kind: input.kind,
    template: draft.template,
    reason: input.reason,
    emailId: draft.id,
    status: 'pending',
    timezone: account.timezone,
    requestedAt: formatLocalIso(now(), account.timezone),
    expiresAt: formatLocalIso(new Date(input.expiresAt), account.timezone),
    taskId,
    waiters: {},
  };
}

/** The CSM's task: due today, saying until when, what to decide and how, and the e-mail; its id follows the approval's. */
function approvalTask(id: string, input: RequestInput, draft: EmailRecord, account: AccountRecord, { now, calendar }: PlaybookDeps): Task {
  const details = [
    `The ${draft.template} e-mail of ${input.playbook} waits for your approval until ${formatLocalIso(new Date(input.expiresAt), account.timezone)}: approve it (you may edit the subject and the text) or cancel it. Without a decision it expires and is not sent.`,
    `Approval ${id}: POST /approvals/${id} (signed), or in the sandbox \`npx playbooks approve ${id}\`.`,
    '',
    `To: ${draft.to}`,
    `Subject: ${draft.subject}`,
    '',
    draft.text,
  ].join('\n');
  return planTask(
    { accountId: input.accountId, playbook: input.playbook, kind: 'email-approval', ownerRole: 'csm', reason: id, due: { rule: 'today' }, details },
    account,
    now(),
    calendar,
  );
}
