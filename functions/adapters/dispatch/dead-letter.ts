import type { DispatchCall } from './calls.ts';
import type { Dispatch } from './dispatch-queue.ts';
import { fileTask } from '../tasks.ts';
import { describeFailure, type StepFailure } from '../../core/tasks/failure.ts';
import { planTask } from '../../core/tasks/task.ts';
import type { DeliveryDeps } from './deliver.ts';

/** What the CSM does by hand when a message could not go out, and the message, for a follow-up task. */
function byHand(call: DispatchCall, csmId: string): string | undefined {
  switch (call.method) {
    case 'postAlert':
      return `Post this alert in the alert channel by hand: ${call.request.text}`;
    case 'notifyPerson':
      return call.request.recipientId === csmId
        ? `Slack could not deliver this message to you; act on it from here: ${call.request.text}`
        : `Slack could not deliver this message to ${call.request.recipientId}; pass it on by hand: ${call.request.text}`;
    case 'send':
      return `Send the ${call.request.template} e-mail by hand, to the contact on file`;
    default:
      return undefined;
  }
}

/**
 * A dead letter someone must act on becomes a `manual-follow-up` task for the account's CSM, the way a
 * failed step does: the alert, the direct message or the e-mail that did not go out. A CRM mirror
 * that died gets none: its task or risk is in the ledger and the report, the CRM is what fails, and
 * a follow-up task would be one more record to mirror to it; its alarm is for ops.
 */
export async function followUpDeadLetter(dispatch: Dispatch, failure: StepFailure, deps: DeliveryDeps): Promise<void> {
  const account = await deps.ledger.getAccount(dispatch.accountId);
  const step = account && byHand(dispatch.call, account.csmId);
  if (!account || !step) return;
  const now = deps.now();
  const task = planTask(
    { accountId: dispatch.accountId, playbook: 'dispatch', kind: 'manual-follow-up', ownerRole: 'csm', reason: `dispatch:${dispatch.id}`, due: { rule: 'today' }, details: describeFailure(failure, undefined, step) },
    account,
    now,
    deps.calendar,
  );
  const { created, item } = await fileTask(deps.ledger, task, now);
  if (created) deps.metrics.addMetric('Task_manual-follow-up', 'Count', 1);
  deps.logger.info('dead letter handed to the CSM', { accountId: dispatch.accountId, dispatchId: dispatch.id, taskId: item.id });
}
