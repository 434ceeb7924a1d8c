import type { AccountRecord, Contact, Settings } from '../../contracts/index.ts';
import { championOf } from '../no-contact/describe.ts';
import type { EmailLanguage, EmailMessage, EmailTemplateId } from './templates.ts';

/**
 * The e-mails a playbook sends by itself (docs/playbooks.md): the promoter's review request (nps-response,
 * seed 002 §13) and the no-contact proposal to the champion (no-contact, seeds 002 §11 and 004).
 * `first-reply` is not one of them: the CSM sends it, it rides on the `first-reply` task.
 */
export type PlaybookEmail = 'review-request' | 'no-contact-proposal';
export const PLAYBOOK_EMAILS = ['review-request', 'no-contact-proposal'] as const satisfies readonly PlaybookEmail[];

/** What the playbook does with an e-mail it could send. */
export type EmailPlan =
  | { action: 'send' | 'ask-approval'; message: EmailMessage; recipient: Contact }
  | { action: 'skip'; why: EmailSkip };

/**
 * - `no-recipient`: nobody to write to (the respondent left the CRM; no champion, sponsor or
 *   decision-maker on file).
 * - `not-configured`: the review request has no review page (`nps.reviewUrl`) to point to.
 * - `frequency-cap`: this contact got a review request less than `reviewRequestIntervalMonths` ago.
 */
export type EmailSkip = 'no-recipient' | 'not-configured' | 'frequency-cap';

/** Who the e-mail is for: the promoter who answered, or the account's champion (else sponsor, decision-maker). */
export function recipientOf(template: PlaybookEmail, account: Pick<AccountRecord, 'contacts'>, contactId?: string): Contact | undefined {
  if (template === 'no-contact-proposal') return championOf(account.contacts);
  return account.contacts.find((contact) => contact.id === contactId);
}

/** `auto` sends at once; `approval` asks the CSM to approve, edit or cancel first (invariant 6: a setting). */
export function modeOf(template: PlaybookEmail, settings: Pick<Settings, 'nps' | 'noContact'>): 'auto' | 'approval' {
  return template === 'review-request' ? settings.nps.reviewRequestMode : settings.noContact.noContactEmailMode;
}

/** The CSM signs when the account record names them; otherwise the team signature. */
export function signatureOf(account: Pick<AccountRecord, 'csmName'>, settings: Pick<Settings, 'emails'>): string {
  return account.csmName ?? settings.emails.signature;
}

/**
 * Seed 002 §13: a contact is asked for a review at most once per `intervalMonths`. `lastRequestedAt`
 * is when the previous request went out (UTC ISO), or undefined if none did.
 */
export function reviewRequestAllowed(lastRequestedAt: string | undefined, now: Date, intervalMonths: number): boolean {
  return lastRequestedAt === undefined || Date.parse(lastRequestedAt) <= Date.parse(reviewRequestCutoff(now, intervalMonths));
}

/**
 * The latest instant a previous request may have gone out for a new one to be allowed: `now` minus
 * `intervalMonths` calendar months (31 March − 1 month = 28 or 29 February, the month's last day).
 * Also the bound of the ledger's conditional write, so the check and the write agree.
 */
export function reviewRequestCutoff(now: Date, intervalMonths: number): string {
  const cutoff = new Date(now.getTime());
  const day = cutoff.getUTCDate();
  cutoff.setUTCDate(1);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - intervalMonths);
  const lastDay = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate();
  cutoff.setUTCDate(Math.min(day, lastDay));
  return cutoff.toISOString();
}

export interface EmailPlanInput {
  template: PlaybookEmail;
  account: Pick<AccountRecord, 'name' | 'contacts' | 'csmName'>;
  /** The respondent, for a review request. */
  contactId?: string | undefined;
  settings: Pick<Settings, 'nps' | 'noContact' | 'emails'>;
  /** When this contact last got this e-mail (review request), from the ledger. */
  lastRequestedAt?: string | undefined;
  now: Date;
}

/** Whether and how to send a playbook's e-mail, and what it says (to be rendered in the account's language). */
export function planEmail({ template, account, contactId, settings, lastRequestedAt, now }: EmailPlanInput): EmailPlan {
  const recipient = recipientOf(template, account, contactId);
  if (!recipient) return { action: 'skip', why: 'no-recipient' };
  const action = modeOf(template, settings) === 'auto' ? 'send' : 'ask-approval';
  const csmName = signatureOf(account, settings);
  if (template === 'no-contact-proposal') {
    return { action, recipient, message: { template, variables: { contactName: recipient.name, accountName: account.name, csmName } } };
  }
  const { reviewUrl, reviewSite, reviewRequestIntervalMonths } = settings.nps;
  if (!reviewUrl) return { action: 'skip', why: 'not-configured' };
  if (!reviewRequestAllowed(lastRequestedAt, now, reviewRequestIntervalMonths)) return { action: 'skip', why: 'frequency-cap' };
  return { action, recipient, message: { template, variables: { contactName: recipient.name, csmName, reviewSite, reviewUrl } } };
}

/**
 * Invariant 5 (exit on goal) for an e-mail that waited for the CSM's approval: the no-contact proposal
 * is pointless once anyone talked with the account, so it goes out only if no touchpoint was logged
 * since it was prepared. A review request has no such goal.
 */
export function endsOnTouchpoint(template: EmailTemplateId): boolean {
  return template === 'no-contact-proposal';
}

/**
 * prepare-email's output, what the playbook's state carries: ids and decisions only. The address, the
 * subject and the text stay in the draft (the ledger), which the next steps read by `emailId`.
 */
export interface PreparedEmail {
  emailId: string;
  action: 'send' | 'ask-approval' | 'skip';
  /** Why not (`skip`): the reason, never a value. */
  why?: EmailSkip | 'already-sent';
  template?: EmailTemplateId;
  contactId?: string;
  language?: EmailLanguage;
  /** Exit on goal: send only if no touchpoint was logged after this instant (the no-contact proposal). */
  unlessTouchpointSince?: string;
}

/** What a recorded draft tells the playbook: its id and its decision (a draft recorded without one was sent at once). */
export function preparedOutput(draft: {
  id: string;
  action?: 'send' | 'ask-approval' | undefined;
  template: EmailTemplateId;
  contactId: string;
  language: EmailLanguage;
  unlessTouchpointSince?: string | undefined;
}): PreparedEmail {
  return {
    emailId: draft.id,
    action: draft.action ?? 'send',
    template: draft.template,
    contactId: draft.contactId,
    language: draft.language,
    ...(draft.unlessTouchpointSince === undefined ? {} : { unlessTouchpointSince: draft.unlessTouchpointSince }),
  };
}
