import { MAX_SUBJECT_LENGTH, MAX_TEXT_LENGTH } from '../contracts/approvals.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { endsOnTouchpoint, PLAYBOOK_EMAILS, reviewRequestCutoff } from '../core/emails/plan.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export type SendStatus = 'sent' | 'already-sent' | 'frequency-cap' | 'no-recipient' | 'goal-met';

/**
 * Send an e-mail prepare-email prepared (and, in approval mode, the CSM approved, edits applied):
 * record it in the ledger, and queue it for the mailer (SES, or the outbox), once: the dispatch drain sends it.
 *
 * Write order, for exactly-once: (1) exit on goal (a no-contact proposal after a touchpoint logged
 * since it was prepared is not sent); (2) the contact's frequency cap, taken by a conditional write
 * (two review requests racing for one contact: one goes out); (3) the e-mail record, once per id,
 * the first recorded text winning; (4) SES, then its message id on the record. A retry or a
 * redelivery after (4) sends nothing; a crash between SES's answer and (4) is the one window that can
 * send twice (SES has no idempotency token), never one that loses an e-mail.
 *
 * The address is read from the account record at send time (the contact's current one); it is sent
 * and recorded, never logged.
 */
export const sendEmail = definePlaybookFunction({
  id: 'send-email',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    reason: z.string().check(z.minLength(1)),
    /** prepare-email's output (action `send`), or the same with the approved proposal and `approvedBy`. */
    prepared: z.object({
      emailId: z.string().check(z.regex(/^eml-[0-9a-f]{20}$/, 'expected an e-mail id, eml- then 20 hex digits')),
      email: z.looseObject({
        template: z.enum(PLAYBOOK_EMAILS),
        contactId: z.string().check(z.minLength(1)),
        language: z.enum(['fr', 'en']),
        subject: z.string().check(z.minLength(1), z.maxLength(MAX_SUBJECT_LENGTH)),
        text: z.string().check(z.minLength(1), z.maxLength(MAX_TEXT_LENGTH)),
      }),
      unlessTouchpointSince: z.optional(isoInstant()),
      approvedBy: z.optional(z.string().check(z.minLength(1))),
    }),
  }),
  async run({ accountId, playbook, reason, prepared }, { ledger, now, settings, logger, metrics }): Promise<{ emailId: string; status: SendStatus }> {
    const { emailId: id, email } = prepared;
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const done = (status: SendStatus) => {
      metrics.addMetric(status === 'sent' ? `EmailSent_${email.template}` : `EmailNotSent_${status}`, 'Count', 1);
      logger.info(status === 'sent' ? 'e-mail sent' : 'e-mail not sent', { accountId, emailId: id, template: email.template, status });
      return { emailId: id, status };
    };

    const recorded = await ledger.getEmail(accountId, id);
    if (recorded?.messageId !== undefined) return done('already-sent');
    if (!recorded) {
      if (endsOnTouchpoint(email.template) && prepared.unlessTouchpointSince !== undefined) {
        const latest = await ledger.latestTouchpoint(accountId);
        if (latest && Date.parse(latest.at) > Date.parse(prepared.unlessTouchpointSince)) return done('goal-met');
      }
      if (email.template === 'review-request') {
        const claimed = await ledger.claimEmailCap({
          accountId,
          template: email.template,
          contactId: email.contactId,
          emailId: id,
          // Both bounds in toISOString's fixed-width form: DynamoDB compares them as strings.
          at: now().toISOString(),
          cutoff: reviewRequestCutoff(now(), settings.nps.reviewRequestIntervalMonths),
        });
        if (!claimed) return done('frequency-cap');
      }
    }

    const contact = account.contacts.find((candidate) => candidate.id === email.contactId);
    if (!recorded && !contact) return done('no-recipient');
    const { item } = await ledger.recordEmail({
      id,
      accountId,
      playbook,
      template: email.template,
      reason,
      contactId: email.contactId,
      to: recorded?.to ?? contact!.email,
      language: email.language,
      subject: email.subject,
      text: email.text,
      ...(prepared.approvedBy ? { approvedBy: prepared.approvedBy } : {}),
      recordedAt: formatLocalIso(now(), account.timezone),
    });
    await mirrorLater(
      ledger,
      { key: keys.email(accountId, id), mirrored: item.messageId },
      'messageId',
      { port: 'mailer', method: 'send', request: { idempotencyKey: id, accountId, to: item.to, language: item.language, template: item.template, subject: item.subject, text: item.text } },
      now(),
    );
    return done('sent');
  },
});
