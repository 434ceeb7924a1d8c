import type { Contact } from '../../contracts/index.ts';
import type { ContactDrop, UsageDecision } from './usage-check.ts';

/**
 * What the CSM reads about a usage drop (docs/playbooks.md, usage): the alert's detail and the tasks'
 * bodies. The account's figures only, never a person's name, except in a contact drop's task, which
 * travels sealed.
 */
export function describeDrop(drop: NonNullable<UsageDecision['drop']>, lastActiveDay: string | undefined): string {
  if (drop.kind === 'idle') return `No use of the product for ${drop.idleDays} days${lastActiveDay ? ` (last used on ${lastActiveDay})` : ''}: find out why before the account goes quiet for good.`;
  const percent = Math.round((drop.ratio ?? 0) * 100);
  return `This week's use of the product is ${percent} % of the 4 weeks before (active users per business day): find out what changed.${drop.highTouch ? ' The champion gets the check-in e-mail.' : ''}`;
}

export function describeMeetingCheck(checkInDays: number): string {
  return `The account's use fell and nobody talked with it since: the check-in went out ${checkInDays} business days ago and use has not come back. Is a meeting booked? If not, propose one.`;
}

export function describeContactDrop(drop: ContactDrop, contact: Contact | undefined): string {
  const who = contact ? `${contact.name} (${drop.role})` : `The ${drop.role} (no longer on the account record)`;
  return `${who} has not used the product for ${drop.idleDays} days, while the rest of the team goes on: reach out and ask what changed.`;
}
