import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { ContractError, z } from '../contracts/zod.ts';
import { approvedVersion } from '../core/approvals/approval.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { capCutoff, endsOnTouchpoint, isPlaybookEmail } from '../core/emails/plan.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export type SendStatus = 'sent' | 'already-sent' | 'frequency-cap' | 'no-recipient' | 'goal-met' | 'not-approved';

/**
 * Send an e-mail prepare-email prepared, by its id: its draft is read from the ledger and, in approval
 * mode, so is the CSM's decision on it (the approval the draft names) with their edits. It is queued
 * for the mailer (SES, or the outbox) once: the dispatch drain sends it.
 *
 * Write order, for exactly-once: (1) the approval (a draft put up for approval goes out only once it
 * is approved, as the CSM edited it); (2) exit on goal (a no-contact proposal after a touchpoint
 * logged since it was prepared is not sent); (3) the contact's frequency cap, taken by a conditional
 * write (two review requests racing for one contact: one goes out); (4) the draft turned into the
 * queued e-mail, once (a conditional update: the first words win); (5) SES, then its message id on
 * the record. A retry or a redelivery after (4) queues nothing new; after (5) it sends nothing; a crash
 * between SES's answer and (5) is the one window that can send twice (SES has no idempotency token),
 * never one that loses an e-mail.
 *
 * The address is read from the account record at send time (the contact's current one); it is sent
 * and recorded, never logged, and never in the output.
 */
export const sendEmail = definePlaybookFunction({
  id: 'send-email',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    /** prepare-email's `emailId`. */
    emailId: z.string().check(z.regex(/^eml-[0-9a-f]{20}$/, 'expected an e-mail id, eml- then 20 hex digits')),
  }),
  async run({ accountId, emailId: id }, { ledger, now, settings, logger, metrics }): Promise<{ emailId: string; status: SendStatus }> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const recorded = await ledger.getEmail(accountId, id);
    if (!recorded) throw new ContractError('send-email input', [`emailId: account ${accountId} has no e-mail ${id}: prepare-email records it before it is sent`]);
    const done = (status: SendStatus) => {
      metrics.addMetric(status === 'sent' ? `EmailSent_${recorded.template}` : `EmailNotSent_${status}`, 'Count', 1);
      logger.info(status === 'sent' ? 'e-mail sent' : 'e-mail not sent', { accountId, emailId: id, template: recorded.template, status });
      return { emailId: id, status };
    };
    if (recorded.messageId !== undefined) return done('already-sent');

    let email = recorded;
    if (recorded.status === 'prepared') {
      let words: { subject: string; text: string; approvedBy?: string } = recorded;
      if (recorded.approvalId !== undefined) {
        const approved = approvedVersion(recorded, (await ledger.getApproval(recorded.approvalId)).approval);
        if (!approved) return done('not-approved');
        words = approved;
      }
      if (endsOnTouchpoint(recorded.template) && recorded.unlessTouchpointSince !== undefined) {
        const latest = await ledger.latestTouchpoint(accountId);
        if (latest && Date.parse(latest.at) > Date.parse(recorded.unlessTouchpointSince)) return done('goal-met');
      }
      const cutoff = isPlaybookEmail(recorded.template) ? capCutoff(recorded.template, now(), settings) : undefined;
      if (cutoff !== undefined) {
        const claimed = await ledger.claimEmailCap({
          accountId,
          template: recorded.template,
          contactId: recorded.contactId,
          emailId: id,
          // Both bounds in toISOString's fixed-width form: DynamoDB compares them as strings.
          at: now().toISOString(),
          cutoff,
        });
        if (!claimed) return done('frequency-cap');
      }
      const contact = account.contacts.find((candidate) => candidate.id === recorded.contactId);
      if (!contact) return done('no-recipient');
      const queued = await ledger.queueEmail(accountId, id, {
        to: contact.email,
        subject: words.subject,
        text: words.text,
        approvedBy: words.approvedBy,
        recordedAt: formatLocalIso(now(), account.timezone),
      });
      if (!queued) throw new Error(`E-mail ${id} of account ${accountId} vanished while it was queued`);
      email = queued.item;
    }
    await mirrorLater(
      ledger,
      { key: keys.email(accountId, id), mirrored: email.messageId },
      'messageId',
      { port: 'mailer', method: 'send', request: { idempotencyKey: id, accountId, to: email.to, language: email.language, template: email.template, subject: email.subject, text: email.text } },
      now(),
    );
    return done('sent');
  },
});
