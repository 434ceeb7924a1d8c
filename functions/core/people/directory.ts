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

/** A CRM user who can own accounts (HubSpot's owners): who they are in the CRM, and whether they left. */
export interface CrmOwner {
  id: string;
  name?: string | undefined;
  email?: string | undefined;
  archived: boolean;
}

/**
 * The directory kept in step with the CRM's owners: the CRM says who a person is (name, e-mail) and
 * whether they left; the stage file says what the CRM does not know (Slack member id, time zone,
 * language, role). A listed person whose owner is archived has left: out of the directory. A listed
 * person the CRM does not know (an id that is not an owner's) is kept as listed. An active owner the
 * stage file does not list is reported, not guessed: without a time zone and a role, no digest and no
 * direct message can be right.
 */
export function peopleFromCrm(listed: readonly Person[], owners: readonly CrmOwner[]): { people: Person[]; updated: string[]; departed: string[]; unlisted: string[] } {
  const byId = new Map(owners.map((owner) => [owner.id, owner]));
  const people: Person[] = [];
  const updated: string[] = [];
  const departed: string[] = [];
  for (const person of listed) {
    const owner = byId.get(person.id);
    if (owner?.archived) {
      departed.push(person.id);
      continue;
    }
    const email = owner?.email ?? person.email;
    const inStep = owner ? { ...person, name: owner.name ?? person.name, ...(email ? { email } : {}) } : person;
    if (inStep.name !== person.name || inStep.email !== person.email) updated.push(person.id);
    people.push(inStep);
  }
  const ids = new Set(listed.map(({ id }) => id));
  const unlisted = owners.filter((owner) => !owner.archived && !ids.has(owner.id)).map(({ id }) => id);
  return { people, updated, departed, unlisted };
}
