import type { AccountRecord, Contact, Settings } from '../../contracts/index.ts';
import { championOf } from '../no-contact/describe.ts';
import type { EmailLanguage, EmailMessage, EmailTemplateId } from './templates.ts';

/**
 * The e-mails a playbook sends by itself (docs/playbooks.md): the promoter's review request (nps-response,
 * seed 002 §13), the no-contact proposal to the champion (no-contact, seeds 002 §11 and 004), and the
 * usage e-mails (seed 002 §6–9): the check-in to the champion of a high-touch account whose use fell,
 * the nudge to a key contact who stopped, the welcome-back, a feature's guide.
 * `first-reply` is not one of them: the CSM sends it, it rides on the `first-reply` task.
 */
export const PLAYBOOK_EMAILS = ['review-request', 'no-contact-proposal', 'usage-check-in', 'champion-nudge', 'welcome-back', 'feature-guide', 'at-risk'] as const;
export type PlaybookEmail = (typeof PLAYBOOK_EMAILS)[number];

/** What the playbook does with an e-mail it could send. */
export type EmailPlan =
  | { action: 'send' | 'ask-approval'; message: EmailMessage; recipient: Contact }
  | { action: 'skip'; why: EmailSkip };

/**
 * - `no-recipient`: nobody to write to (the respondent left the CRM; no champion, sponsor or
 *   decision-maker on file).
 * - `not-configured`: the review request has no review page (`nps.reviewUrl`) to point to.
 * - `frequency-cap`: this contact got a review request less than `reviewRequestIntervalMonths` ago,
 *   a welcome-back less than `usage.welcomeBackCooldownDays` ago, or an at-risk e-mail less than
 *   `health.atRiskEmailCooldownDays` ago.
 * - `no-guide`: the feature has no guide in `usage.featureGuides` (any more), or the product none in `usage.productGuide`.
 */
export type EmailSkip = 'no-recipient' | 'not-configured' | 'frequency-cap' | 'no-guide';

/** Who the e-mail is for: the promoter who answered, or the account's champion (else sponsor, decision-maker). */
export function recipientOf(template: PlaybookEmail, account: Pick<AccountRecord, 'contacts'>, contactId?: string): Contact | undefined {
  if (template === 'no-contact-proposal' || template === 'usage-check-in' || template === 'at-risk') return championOf(account.contacts);
  return account.contacts.find((contact) => contact.id === contactId);
}

/** `auto` sends at once; `approval` asks the CSM to approve, edit or cancel first (invariant 6: a setting). */
export function modeOf(template: PlaybookEmail, settings: Pick<Settings, 'nps' | 'noContact' | 'usage'>): 'auto' | 'approval' {
  switch (template) {
    case 'review-request':
      return settings.nps.reviewRequestMode;
    case 'no-contact-proposal':
      return settings.noContact.noContactEmailMode;
    case 'usage-check-in':
      return settings.usage.checkInEmailMode;
    case 'welcome-back':
      return settings.usage.welcomeBackEmailMode;
    // A nudge and a guide are light and expected: the playbook sends them (docs/playbooks.md, usage).
    case 'champion-nudge':
    case 'feature-guide':
    // A low-touch account's CSM has no time for it: that is why it is low-touch (docs/playbooks.md, health).
    case 'at-risk':
      return 'auto';
  }
}

/**
 * The e-mails a contact gets at most once per period, whichever run sends them: the latest instant a
 * previous one may have gone out for a new one to go (the bound of the ledger's conditional write too,
 * so the check and the write agree). `undefined`: no cap.
 */
export function capCutoff(template: PlaybookEmail, now: Date, settings: Pick<Settings, 'nps' | 'usage' | 'health'>): string | undefined {
  if (template === 'review-request') return reviewRequestCutoff(now, settings.nps.reviewRequestIntervalMonths);
  if (template === 'welcome-back') return new Date(now.getTime() - settings.usage.welcomeBackCooldownDays * 86_400_000).toISOString();
  if (template === 'at-risk') return new Date(now.getTime() - settings.health.atRiskEmailCooldownDays * 86_400_000).toISOString();
  return undefined;
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
  /** The respondent (a review request), the contact the usage e-mail is about (a nudge, a welcome-back, a guide). */
  contactId?: string | undefined;
  /** A feature's guide: the feature (none: the product's getting-started guide). */
  feature?: string | undefined;
  settings: Pick<Settings, 'nps' | 'noContact' | 'emails' | 'usage' | 'health'>;
  /** When this contact last got this e-mail (a capped one: capCutoff), from the ledger. */
  lastRequestedAt?: string | undefined;
  now: Date;
}

/** Whether and how to send a playbook's e-mail, and what it says (to be rendered in the account's language). */
export function planEmail({ template, account, contactId, feature, settings, lastRequestedAt, now }: EmailPlanInput): EmailPlan {
  const recipient = recipientOf(template, account, contactId);
  if (!recipient) return { action: 'skip', why: 'no-recipient' };
  const action = modeOf(template, settings) === 'auto' ? 'send' : 'ask-approval';
  const csmName = signatureOf(account, settings);
  const cutoff = capCutoff(template, now, settings);
  if (cutoff !== undefined && lastRequestedAt !== undefined && Date.parse(lastRequestedAt) > Date.parse(cutoff)) return { action: 'skip', why: 'frequency-cap' };
  const greeting = { contactName: recipient.name, csmName };
  switch (template) {
    case 'no-contact-proposal':
    case 'usage-check-in':
    case 'at-risk':
      return { action, recipient, message: { template, variables: { ...greeting, accountName: account.name } } };
    case 'champion-nudge':
    case 'welcome-back':
      return { action, recipient, message: { template, variables: greeting } };
    case 'feature-guide': {
      const guideUrl = feature === undefined ? settings.usage.productGuide : settings.usage.featureGuides[feature];
      if (!guideUrl) return { action: 'skip', why: 'no-guide' };
      return { action, recipient, message: { template, variables: { ...greeting, guideUrl, ...(feature === undefined ? {} : { featureName: feature }) } } };
    }
    case 'review-request': {
      const { reviewUrl, reviewSite } = settings.nps;
      if (!reviewUrl) return { action: 'skip', why: 'not-configured' };
      return { action, recipient, message: { template, variables: { ...greeting, reviewSite, reviewUrl } } };
    }
  }
}

/**
 * Invariant 5 (exit on goal) for an e-mail that waited for the CSM's approval: the no-contact proposal
 * is pointless once anyone talked with the account, so it goes out only if no touchpoint was logged
 * since it was prepared. A review request has no such goal.
 */
export function endsOnTouchpoint(template: EmailTemplateId): boolean {
  return template === 'no-contact-proposal' || template === 'usage-check-in';
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

/** Whether a recorded e-mail is one a playbook sends by itself (not the CSM's first reply). */
export function isPlaybookEmail(template: EmailTemplateId): template is PlaybookEmail {
  return (PLAYBOOK_EMAILS as readonly string[]).includes(template);
}
