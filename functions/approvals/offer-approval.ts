import { draftUpForApproval } from '../adapters/approval-drafts.ts';
import { notifyDirectly } from '../adapters/notifications.ts';
import { z } from '../contracts/zod.ts';
import { approvalButtons, approvalMessage } from '../core/approvals/approval.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Approval mode, in Slack: the CSM gets the e-mail waiting for their approval in a direct message (to
 * whom, its subject) with Approve and send / Reject buttons, whose clicks come back through
 * `POST /webhooks/slack` as `ApprovalDecided`. The message is built here from the draft in the ledger,
 * so the address and the subject reach the CSM's Slack, never the execution's state. Once per
 * approval (the notification's id follows it). Nobody in the CSM role: nothing to send, the
 * `email-approval` task still shows the e-mail.
 */
export const offerApproval = definePlaybookFunction({
  id: 'offer-approval',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    /** PlanApproval's `approvalId`: what the buttons decide. */
    approvalId: z.string().check(z.minLength(1)),
    /** prepare-email's `emailId`: the draft, read from the ledger. */
    emailId: z.string().check(z.minLength(1)),
  }),
  async run({ accountId, playbook, approvalId, emailId }, { ledger, now, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const draft = await draftUpForApproval(ledger, accountId, emailId, approvalId);
    const result = await notifyDirectly(
      ledger,
      account,
      { accountId, playbook, reason: approvalId, recipientRole: 'csm', topic: 'email-approval', text: approvalMessage(draft), buttons: approvalButtons(accountId, approvalId) },
      now(),
    );
    if (!result.notified) {
      logger.info('nobody to offer the approval to in Slack', { accountId, approvalId, recipientRole: 'csm' });
      return result;
    }
    const { notificationId, recipientId, created, queued } = result;
    // Ids only: the message names the contact.
    logger.info(queued ? 'approval offered' : 'approval already offered', { accountId, approvalId, emailId, notificationId, recipientId });
    return { notified: true as const, notificationId, recipientId, created };
  },
});
