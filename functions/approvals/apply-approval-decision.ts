import { applyDecision } from '../adapters/approval-decisions.ts';
import { ApprovalDecisionRequest } from '../contracts/approvals.ts';
import { DetailSchemas } from '../contracts/events.ts';
import { ContractError, z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** The approval the decision names is not in the ledger: nothing to approve (not retried). */
export class ApprovalNotFound extends Error {
  override readonly name = 'ApprovalNotFound';
}

/**
 * `ApprovalDecided` (a CSM's Slack button on a parked e-mail): the decision applied exactly as
 * `POST /approvals/<id>` applies it (functions/adapters/approval-decisions.ts): recorded once, then
 * every execution parked on it resumed. A decision taken before (a double click, the other button,
 * the signed endpoint) or after the expiry changes nothing and is not an error: the first one won,
 * or the playbook already took its expiry path.
 */
export const applyApprovalDecision = definePlaybookFunction({
  id: 'apply-approval-decision',
  input: z.object({
    eventId: z.string().check(z.minLength(1)),
    accountId: z.string().check(z.minLength(1)),
    approvalId: DetailSchemas.ApprovalDecided.shape.approvalId,
    decision: ApprovalDecisionRequest.shape.decision,
    decidedBy: z.string().check(z.minLength(1)),
  }),
  async run({ eventId, accountId, approvalId, decision, decidedBy }, { ledger, callbacks, now, logger }) {
    if (!callbacks) throw new Error('apply-approval-decision needs the task callbacks port to resume the parked executions');
    const { approval } = await ledger.getApproval(approvalId);
    if (!approval) throw new ApprovalNotFound(`No approval ${approvalId}`);
    // The button's value named the account: a decision cannot reach another account's e-mail.
    if (approval.accountId !== accountId) throw new ContractError('ApprovalDecided', [`accountId: approval ${approvalId} is not on account ${accountId}`]);

    const answer = await applyDecision(
      { approvalId, decision, decidedBy },
      { ledger, callbacks, now, log: (message, fields) => logger.info(message, { ...fields, eventId }) },
    );
    switch (answer.statusCode) {
      case 200:
        return { applied: true, ...answer.body };
      case 409:
      case 410:
        logger.info('approval decision changed nothing', { approvalId, eventId, statusCode: answer.statusCode });
        return { applied: false, approvalId, reason: answer.statusCode === 409 ? 'already-decided' : 'expired' };
      case 404:
        throw new ApprovalNotFound(`No approval ${approvalId}`);
      default:
        // Decided, but a parked execution could not be resumed yet: its error (Step Functions unavailable) is what the Task's Retry matches.
        throw answer.undelivered ?? new Error(`Approval ${approvalId}: decision recorded, resuming the playbook failed (${answer.statusCode})`);
    }
  },
});
