import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerOutbox } from '../../functions/adapters/outbox/ledger-outbox.ts';
import { notifyPerson } from '../../functions/alerts/notify-person.ts';
import type { Person } from '../../functions/contracts/settings.ts';
import { syncPeople, syncPeopleFromHubSpot } from '../../scripts/sync-people.ts';
import { hubspotApi } from '../../sandbox/import/hubspot-api.ts';
import { startHubSpotPortfolio, type LocalHubSpotPortfolio } from '../support/vendors/hubspot-portfolio.ts';
import { depsAt, FRIDAY_MORNING, givenAnAccount, invokeThenDeliver, ledger, ledgerTable, useLocalLedger } from '../support/ledger-fixture.ts';

// The people directory against a real DynamoDB API: `npm run people` makes the ledger's directory the
// stage file's, and a direct message reaches the person's Slack member id, not the CRM's owner id.

useLocalLedger('cs-playbooks-sync-people');

const camille: Person = { id: 'csm-camille', name: 'Camille Martin', slackId: 'U07CAMILLE', email: 'camille.martin@example.com', timezone: 'Europe/Paris', language: 'fr', role: 'csm' };
const jordan: Person = { id: 'lead-jordan', name: 'Jordan Lefèvre', slackId: 'U07JORDAN', timezone: 'Europe/Paris', language: 'fr', role: 'team-lead' };

describe('npm run people: the stage file\'s directory in the ledger', () => {
  it('given two people listed, then both are in the directory; given one of them gone from the file, then the directory forgets them', async () => {
    expect(await syncPeople(ledgerTable.client, ledgerTable.tableName, [camille, jordan])).toEqual({ written: 2, removed: [] });
    expect(await ledger.people.list()).toEqual([camille, jordan]);

    expect(await syncPeople(ledgerTable.client, ledgerTable.tableName, [camille])).toEqual({ written: 1, removed: ['lead-jordan'] });
    expect(await ledger.people.list()).toEqual([camille]);
    expect(await ledger.people.get('lead-jordan')).toBeUndefined();
  });

  it('given the team lead in the directory, when a playbook tells them directly, then the message goes to their Slack member id; someone it does not know, to the id the account names', async () => {
    // The fixture's account names lead-marc as its team lead and csm-lea as its CSM.
    const marc: Person = { id: 'lead-marc', name: 'Marc Leroy', slackId: 'U07MARC', timezone: 'Europe/Paris', language: 'fr', role: 'team-lead' };
    await syncPeople(ledgerTable.client, ledgerTable.tableName, [camille, marc]);
    const account = await givenAnAccount('people-direct');
    const tell = (role: 'teamLead' | 'csm', reason: string) =>
      invokeThenDeliver(notifyPerson, depsAt(FRIDAY_MORNING), { accountId: account.id, playbook: 'renewal', reason, recipientRole: role, topic: 'renewal-at-risk', text: 'Renewal at risk' });
    await tell('teamLead', 'r-lead');
    await tell('csm', 'r-csm');

    const sent = (await new LedgerOutbox(ledger).list()).filter((entry) => entry.kind === 'direct-notification' && entry.accountId === account.id);
    // The outbox lists by its own key, not in the order sent: read as who got what.
    expect(Object.fromEntries(sent.map((entry) => (entry.kind === 'direct-notification' ? [entry.recipientId, entry.slackUser] : [])))).toEqual({ 'lead-marc': 'U07MARC', 'csm-lea': 'csm-lea' });
  });
});

describe('npm run people -- --from hubspot: the directory kept in step with the CRM\'s owners', () => {
  const TOKEN = 'pat-eu1-people-test';
  let portal: LocalHubSpotPortfolio;
  beforeAll(async () => {
    portal = await startHubSpotPortfolio({
      accessToken: TOKEN,
      companies: [],
      contacts: [],
      owners: [
        // Camille married: HubSpot has her new name and address.
        { id: 'csm-camille', firstName: 'Camille', lastName: 'Martin-Dubois', email: 'camille.martin-dubois@example.com' },
        // Jordan left: HubSpot archived the user.
        { id: 'lead-jordan', firstName: 'Jordan', lastName: 'Lefèvre', archived: true },
        // Nadia joined in HubSpot; nobody listed her in the stage file yet.
        { id: 'csm-nadia', firstName: 'Nadia', lastName: 'Benali' },
      ],
    });
  });
  afterAll(() => portal?.close());

  it('given the stage file\'s Camille and Jordan, then Camille\'s name and e-mail are HubSpot\'s (her Slack id, zone and role the file\'s), Jordan, archived, is out, and Nadia is named as missing from the file', async () => {
    await syncPeople(ledgerTable.client, ledgerTable.tableName, [camille, jordan]);
    const result = await syncPeopleFromHubSpot(ledgerTable.client, ledgerTable.tableName, [camille, jordan], hubspotApi({ token: TOKEN, root: portal.url }));

    expect(result).toEqual({ written: 1, removed: ['lead-jordan'], updated: ['csm-camille'], departed: ['lead-jordan'], unlisted: ['csm-nadia'] });
    expect(await ledger.people.list()).toEqual([{ ...camille, name: 'Camille Martin-Dubois', email: 'camille.martin-dubois@example.com' }]);
    // Active and archived owners, each read with the token.
    expect(portal.requests.map(({ path, query }) => `${path}?archived=${query.get('archived')}`)).toEqual(['/crm/v3/owners?archived=false', '/crm/v3/owners?archived=true']);
    expect(portal.requests.every(({ headers }) => headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });
});
