import { describe, expect, it } from 'vitest';
import type { Person } from '../../functions/contracts/settings.ts';
import { peopleFromCrm } from '../../functions/core/people/directory.ts';

// docs/playbooks.md, people: the directory kept in step with the CRM's owners. The CRM says who a person
// is and whether they left; the stage file says what the CRM does not know.

const camille: Person = { id: '101', name: 'Camille Martin', slackId: 'U07CAMILLE', email: 'camille@example.com', timezone: 'Europe/Paris', language: 'fr', role: 'csm' };
const jordan: Person = { id: '102', name: 'Jordan Lefèvre', slackId: 'U07JORDAN', timezone: 'Europe/Paris', language: 'fr', role: 'team-lead' };
const slackOnly: Person = { id: 'U07SAM', name: 'Sam Vendeur', timezone: 'Europe/Paris', language: 'fr', role: 'sales' };

describe('the people directory in step with the CRM\'s owners', () => {
  it('given an owner renamed in the CRM, then the name and e-mail are the CRM\'s, the Slack id, zone, language and role the stage file\'s', () => {
    const { people, updated } = peopleFromCrm([camille], [{ id: '101', name: 'Camille Dubois', email: 'camille.dubois@example.com', archived: false }]);
    expect(people).toEqual([{ ...camille, name: 'Camille Dubois', email: 'camille.dubois@example.com' }]);
    expect(updated).toEqual(['101']);
  });

  it('given an owner the CRM holds without a name or an e-mail, then the stage file\'s stay', () => {
    expect(peopleFromCrm([camille], [{ id: '101', archived: false }])).toEqual({ people: [camille], updated: [], departed: [], unlisted: [] });
  });

  it('given an owner archived in the CRM (they left), then they are out of the directory, and named', () => {
    expect(peopleFromCrm([camille, jordan], [{ id: '101', name: 'Camille Martin', email: 'camille@example.com', archived: false }, { id: '102', archived: true }])).toEqual({
      people: [camille],
      updated: [],
      departed: ['102'],
      unlisted: [],
    });
  });

  it('given a person the CRM does not know (their id is a Slack member id), then they stay as listed', () => {
    expect(peopleFromCrm([slackOnly], []).people).toEqual([slackOnly]);
  });

  it('given an active owner the stage file does not list, then they are named, not guessed into the directory (no zone, no role)', () => {
    expect(peopleFromCrm([camille], [{ id: '101', name: 'Camille Martin', email: 'camille@example.com', archived: false }, { id: '103', name: 'Nadia Benali', archived: false }])).toMatchObject({
      people: [camille],
      unlisted: ['103'],
    });
  });
});
