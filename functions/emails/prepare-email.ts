import type { EmailRecord } from '../adapters/ledger.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso, formatUtcIso } from '../core/calendar/business-time.ts';
import { capCutoff, endsOnTouchpoint, planEmail, PLAYBOOK_EMAILS, preparedOutput, recipientOf, type EmailSkip, type PreparedEmail } from '../core/emails/plan.ts';
import { renderEmail } from '../core/emails/templates.ts';
import { AccountNotFound } from '../core/errors.ts';
import { approvalId, emailId } from '../core/tasks/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export type { PreparedEmail } from '../core/emails/plan.ts';

/**
 * Decide whether a playbook's e-mail goes out, to whom, and render it in the account's language:
 * `send` (auto mode), `ask-approval` (approval mode: the CSM approves, edits or cancels it), or `skip`
 * with the reason (nobody to write to, no review page configured, the contact's frequency cap, or this
 * very e-mail already sent, as on a redelivery).
 *
 * The rendered e-mail is recorded in the ledger as a draft (EMAIL#<emailId>, `prepared`), once per id:
 * a retry or a redelivery finds the first draft and its decision, so nothing it re-renders overwrites
 * what the CSM is approving or approved. The output carries ids and decisions only, never the address,
 * the subject or the text: request-approval, offer-approval and send-email read the draft by its id.
 */
export const prepareEmail = definePlaybookFunction({
  id: 'prepare-email',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    template: z.enum(PLAYBOOK_EMAILS),
    /** What the e-mail is for (the NPS answer's event id, the no-contact count): one e-mail per reason. */
    reason: z.string().check(z.minLength(1)),
    /** The respondent (a review request), the contact a usage e-mail is about (a nudge, a welcome-back, a guide). */
    contactId: z.optional(z.string().check(z.minLength(1))),
    /** A feature's guide: the feature (none: the product's getting-started guide). */
    feature: z.optional(z.string().check(z.minLength(1))),
  }),
  async run({ accountId, playbook, template, reason, contactId, feature }, { ledger, now, settings, logger, metrics }): Promise<PreparedEmail> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const recipient = recipientOf(template, account, contactId);
    const id = emailId({ accountId, template, contactId: recipient?.id ?? 'none', reason });
    const skip = (why: NonNullable<PreparedEmail['why']>): PreparedEmail => {
      metrics.addMetric(`EmailSkipped_${why}`, 'Count', 1);
      logger.info('e-mail not sent', { accountId, emailId: id, template, why });
      return { emailId: id, action: 'skip', why };
    };
    const recorded = await ledger.getEmail(accountId, id);
    if (recorded?.messageId !== undefined) return skip('already-sent');
    // The frequency cap counts what this contact was sent, whichever run sent it; this very e-mail (a retry) does not count.
    const cap = recipient && capCutoff(template, now(), settings) !== undefined ? await ledger.getEmailCap(accountId, template, recipient.id) : undefined;
    const lastRequestedAt = cap && cap.emailId !== id ? cap.at : undefined;
    const plan = planEmail({ template, account, contactId, feature, settings, lastRequestedAt, now: now() });
    if (plan.action === 'skip') return skip(plan.why satisfies EmailSkip);
    // Prepared before (a retry, a redelivery): that draft, and its decision, stand.
    if (recorded) return preparedOutput(recorded);

    const { subject, text } = renderEmail(plan.message, account.language);
    const draft: EmailRecord & { status: 'prepared' } = {
      id,
      accountId,
      playbook,
      template,
      reason,
      contactId: plan.recipient.id,
      status: 'prepared',
      action: plan.action,
      // The approval plan-approval and request-approval derive from the same account, playbook and reason.
      ...(plan.action === 'ask-approval' ? { approvalId: approvalId({ accountId, playbook, kind: 'email', reason }) } : {}),
      ...(endsOnTouchpoint(template) ? { unlessTouchpointSince: formatUtcIso(now()) } : {}),
      to: plan.recipient.email,
      language: account.language,
      subject,
      text,
      preparedAt: formatLocalIso(now(), account.timezone),
    };
    const { item } = await ledger.prepareEmail(draft);
    logger.info('e-mail prepared', { accountId, emailId: id, template, action: item.action ?? plan.action });
    return preparedOutput(item);
  },
});
