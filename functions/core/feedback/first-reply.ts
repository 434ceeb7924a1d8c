import type { AccountRecord, Settings } from '../../contracts/index.ts';
import { signatureOf } from '../emails/plan.ts';
import { renderEmail } from '../emails/templates.ts';

/**
 * client-feedback, e-mail (seed 000; design card: a first reply within 24 hours). The clock starts when
 * the client's e-mail was received, not when the event reached us, and runs in plain hours: a client
 * who writes on Friday evening is answered by Saturday evening (the rule is the design card's, not
 * business hours).
 */
export function firstReplyDue(receivedAt: string, firstReplyHours: number): Date {
  return new Date(Date.parse(receivedAt) + firstReplyHours * 3_600_000);
}

/**
 * How long the playbook waits for the reply, from `now` to the due time, in whole seconds (a Task's
 * timeout). At least 1: an e-mail delivered to us after its deadline is overdue at once, still through
 * the same path (a Task timeout of 0 is not allowed).
 */
export function secondsUntil(due: Date, now: Date): number {
  return Math.max(1, Math.ceil((due.getTime() - now.getTime()) / 1000));
}

/**
 * Which message a reply answers: the helpdesk's message id (`ClientReplySent.inReplyTo` carries it),
 * or, when the feedback event had none, its event id.
 */
export function replyKey(feedback: { eventId: string; messageId?: string | undefined }): string {
  return feedback.messageId ?? feedback.eventId;
}

/**
 * The `first-reply` task's body: what to do, by when, and the first-reply template (thank, apologise,
 * ask when to talk; never a resolution date) in the account's language, addressed to the sender.
 */
export function firstReplyDetails(
  account: Pick<AccountRecord, 'name' | 'language' | 'contacts' | 'csmName'>,
  contactId: string,
  due: string,
  settings: Pick<Settings, 'emails'>,
): string {
  const contact = account.contacts.find((candidate) => candidate.id === contactId);
  const { subject, text } = renderEmail(
    { template: 'first-reply', variables: { contactName: contact?.name ?? account.name, csmName: signatureOf(account, settings) } },
    account.language,
  );
  const who = contact ? `${contact.name} (${contact.email})` : `the sender (not among ${account.name}'s contacts in the CRM: add them)`;
  return [
    `Reply to ${who} by ${due}: thank them, apologise, and ask when you can talk. Never promise a resolution date in this first reply.`,
    'A template, in the account’s language:',
    '',
    `Subject: ${subject}`,
    '',
    text,
  ].join('\n');
}
