import type { AccountRecord, Contact } from '../../contracts/index.ts';
import type { CountFrom } from './check.ts';

/**
 * The no-contact check is "on its champion" (docs/playbooks.md): the exchange is proposed to the account's
 * champion. Without one on file, to the sponsor, then the decision-maker: someone who can speak for
 * the account. `undefined`: none of them is on file.
 */
const WHO_TO_ASK = ['champion', 'sponsor', 'decision-maker'] as const;

export function championOf(contacts: readonly Contact[]): Contact | undefined {
  for (const role of WHO_TO_ASK) {
    const contact = contacts.find((candidate) => candidate.role === role);
    if (contact) return contact;
  }
  return undefined;
}

/** Who to talk to, as the task says it. Names and addresses go into tasks, never into logs. */
export function describeContact(contacts: readonly Contact[]): string {
  const contact = championOf(contacts);
  if (!contact) return 'No champion, sponsor or decision-maker is on file: find who speaks for the account and add them in the CRM.';
  const who = `${contact.name} (${contact.email})`;
  return contact.role === 'champion' ? `Propose it to the champion, ${who}.` : `No champion is on file: propose it to the ${contact.role}, ${who}, and name a champion in the CRM.`;
}

/** Since when nobody talked with the account, as the CSM reads it (`since` is a local ISO instant). */
export function describeSince(countFrom: CountFrom, since: string): string {
  const day = since.slice(0, 10);
  switch (countFrom) {
    case 'signed':
      return `no touchpoint is on file since the contract was signed on ${day}`;
    case 'imported':
      return `no touchpoint is on file since the account was imported on ${day}`;
    case 'first-seen':
      return `no touchpoint is on file since the account was first seen on ${day}`;
    case 'touchpoint':
      return `the last touchpoint (call, meeting, e-mail exchange or QBR) was on ${day}`;
  }
}

export function describeOutreach(account: Pick<AccountRecord, 'contacts'>, count: { countFrom: CountFrom; since: string; days: number }): string {
  return `No contact for ${count.days} days: ${describeSince(count.countFrom, count.since)}. Propose an exchange (a call or a meeting). ${describeContact(account.contacts)}`;
}

export function describeReminder(account: Pick<AccountRecord, 'contacts'>, reminder: { outreachAt: string; days: number }): string {
  return `Reminder: an exchange was proposed on ${reminder.outreachAt.slice(0, 10)} and no touchpoint has been logged in the ${reminder.days} days since. Follow it up. ${describeContact(account.contacts)}`;
}
