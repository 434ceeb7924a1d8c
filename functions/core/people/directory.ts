import type { Person } from '../../contracts/settings.ts';

/**
 * The people directory (docs/playbooks.md, people): who the ids of the account records are. The CRM
 * names an account's owners by its own ids (`csmId`, `teamLeadId`…); Slack and the mailer need a member
 * id and an address. The directory maps one to the other; someone missing from it is still reached, by
 * the id the account names (a team whose CRM ids are Slack member ids needs no directory).
 */

/** Where a direct message to `recipientId` goes in Slack: the person's member id, else the id itself. */
export function slackTarget(recipientId: string, person: Pick<Person, 'slackId'> | undefined): string {
  return person?.slackId ?? recipientId;
}

/** What changes in the ledger's directory to make it the stage's: the people to write, and the ids it holds no longer listed. */
export function directoryChanges(listed: readonly Person[], held: readonly Pick<Person, 'id'>[]): { put: Person[]; remove: string[] } {
  const ids = new Set(listed.map(({ id }) => id));
  return { put: [...listed], remove: held.map(({ id }) => id).filter((id) => !ids.has(id)) };
}
