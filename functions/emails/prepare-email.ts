import { z } from '../contracts/zod.ts';
import { formatUtcIso } from '../core/calendar/business-time.ts';
import { endsOnTouchpoint, planEmail, PLAYBOOK_EMAILS, recipientOf, type EmailSkip } from '../core/emails/plan.ts';
import { renderEmail, type EmailLanguage, type EmailTemplateId } from '../core/emails/templates.ts';
import { AccountNotFound } from '../core/errors.ts';
import { emailId } from '../core/tasks/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** The e-mail as prepared: what the CSM reviews in approval mode (subject and text), and what send-email sends. */
export interface PreparedEmail {
  emailId: string;
  action: 'send' | 'ask-approval' | 'skip';
  why?: EmailSkip | 'already-sent';
  email?: { template: EmailTemplateId; contactId: string; to: string; language: EmailLanguage; subject: string; text: string };
  /** Exit on goal: send only if no touchpoint was logged after this instant (the no-contact proposal). */
  unlessTouchpointSince?: string;
}

/**
 * Decide whether a playbook's e-mail goes out, to whom, and render it in the account's language:
 * `send` (auto mode), `ask-approval` (approval mode: the CSM approves, edits or cancels it), or `skip`
 * with the reason (nobody to write to, no review page configured, the contact's frequency cap, or this
 * very e-mail already sent, as on a redelivery). Writes nothing: send-email records and sends.
 */
export const prepareEmail = definePlaybookFunction({
  id: 'prepare-email',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    template: z.enum(PLAYBOOK_EMAILS),
    /** What the e-mail is for (the NPS answer's event id, the no-contact count): one e-mail per reason. */
    reason: z.string().check(z.minLength(1)),
    /** The respondent, for a review request. */
    contactId: z.optional(z.string().check(z.minLength(1))),
  }),
  async run({ accountId, template, reason, contactId }, { ledger, now, settings, logger, metrics }): Promise<PreparedEmail> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const recipient = recipientOf(template, account, contactId);
    const id = emailId({ accountId, template, contactId: recipient?.id ?? 'none', reason });
    const skip = (why: NonNullable<PreparedEmail['why']>): PreparedEmail => {
      metrics.addMetric(`EmailSkipped_${why}`, 'Count', 1);
      logger.info('e-mail not sent', { accountId, emailId: id, template, why });
      return { emailId: id, action: 'skip', why };
    };
    if ((await ledger.getEmail(accountId, id))?.messageId !== undefined) return skip('already-sent');
    // The frequency cap counts what this contact was sent, whichever run sent it; this very e-mail (a retry) does not count.
    const cap = recipient && template === 'review-request' ? await ledger.getEmailCap(accountId, template, recipient.id) : undefined;
    const lastRequestedAt = cap && cap.emailId !== id ? cap.at : undefined;
    const plan = planEmail({ template, account, contactId, settings, lastRequestedAt, now: now() });
    if (plan.action === 'skip') return skip(plan.why);

    const { subject, text } = renderEmail(plan.message, account.language);
    logger.info('e-mail prepared', { accountId, emailId: id, template, action: plan.action });
    return {
      emailId: id,
      action: plan.action,
      email: { template, contactId: plan.recipient.id, to: plan.recipient.email, language: account.language, subject, text },
      ...(endsOnTouchpoint(template) ? { unlessTouchpointSince: formatUtcIso(now()) } : {}),
    };
  },
});
