import type { Contact } from '../../contracts/index.ts';

/** The contacts whose return the CSM follows up by phone (docs/playbooks.md, usage: welcome-back). */
const KEY_ROLES: readonly Contact['role'][] = ['champion', 'sponsor', 'decision-maker'];

/**
 * The welcome-back-call task's body for a key contact back after `idleDays` days, or undefined for
 * anyone else (the e-mail is theirs). Names the contact: it travels sealed.
 */
export function welcomeBackCall(contact: Contact, idleDays: number): string | undefined {
  if (!KEY_ROLES.includes(contact.role)) return undefined;
  return `${contact.name} (${contact.role}) is using the product again after ${idleDays} days away: call to ask what brings them back and whether a refresher session would help. They also get the welcome-back e-mail.`;
}
