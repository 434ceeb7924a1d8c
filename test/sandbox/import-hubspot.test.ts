import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountProperties, DEFAULT_ACCOUNT_PROPERTIES } from '../../functions/ingest/vendors/hubspot-accounts.ts';
import { hubspotApi } from '../../sandbox/import/hubspot-api.ts';
import { readHubSpotAccounts } from '../../sandbox/import/hubspot-portfolio.ts';
import { eventually, runImportCli, startImportSandbox } from '../support/import-cli.ts';
import { startHubSpotPortfolio, type LocalHubSpotPortfolio, type PortfolioCompany, type PortfolioContact, type PortfolioOwner } from '../support/vendors/hubspot-portfolio.ts';

// `playbooks import --from hubspot`: HubSpot's companies (CRM v3, paged), owners and contacts
// (associations v4, batch read) through the stage's property mapping, into a running sandbox. HubSpot is
// a local server implementing the documented endpoints, checking the token, paging and what is asked.

const TOKEN = 'pat-eu1-backfill-token';
const COMPANIES = 230;
const companyId = (i: number) => String(9_000_000 + i);
const contactId = (i: number, k: number) => String(500_000 + i * 10 + k);

/** 501 owners: the portal's last owner is on the second page of /crm/v3/owners. */
const owners: PortfolioOwner[] = Array.from({ length: 501 }, (_, i) => ({ id: String(1001 + i), firstName: ['Camille', 'Yanis', 'Noa'][i % 3]!, lastName: `Owner${i}` }));

function company(i: number): PortfolioCompany {
  const properties: Record<string, string> = {
    name: `Salon ${i}`,
    country: ['France', 'Belgium', 'FR'][i % 3]!,
    timezone: ['Europe/Paris', 'europe_slash_brussels', 'Europe/Paris'][i % 3]!,
    cs_language: i % 2 ? 'French' : 'en',
    hubspot_owner_id: String(1001 + (i % 3)),
    cs_mrr: String(100 + i),
    closedate: '2019-03-14T09:00:00.000Z',
  };
  if (i === 7) properties.hubspot_owner_id = '1501';
  if (i === 10) properties.country = 'Atlantis';
  if (i === 20) delete properties.hubspot_owner_id;
  if (i === 30) properties.cs_mrr = '';
  if (i === 40) Object.assign(properties, { country: 'Japan', timezone: 'Asia/Tokyo' });
  if (i === 50) Object.assign(properties, { country: 'United States', timezone: 'America/New_York', cs_renewal_at: '2027-03-01' });
  const contacts = i === 60 ? [contactId(i, 1), contactId(i, 2), contactId(i, 3)] : [contactId(i, 1), contactId(i, 2)];
  return { id: companyId(i), properties, contacts, updatedAt: '2026-11-20T08:00:00.000Z' };
}

function contacts(i: number): PortfolioContact[] {
  const person = (k: number, role: string, email = `person.${i}.${k}@example.com`): PortfolioContact => ({
    id: contactId(i, k),
    properties: { firstname: `First${k}`, lastname: `Last${i}`, email, hs_buying_role: role },
  });
  if (i === 60) return [person(1, 'CHAMPION'), person(2, 'END_USER'), person(3, 'END_USER', '')];
  if (i === 70) return [person(1, 'CHAMPION'), person(2, 'EXECUTIVE_SPONSOR;DECISION_MAKER')];
  return [person(1, 'CHAMPION'), person(2, 'END_USER;INFLUENCER')];
}

const REFUSALS = [
  'HubSpot company 9000010: country (HubSpot property country): not a country: an ISO 3166 code (FR, FRA) or its English or French name (France)',
  'HubSpot company 9000020: csmId (HubSpot property hubspot_owner_id): Invalid input: expected string, received undefined',
  'HubSpot company 9000030: mrr (HubSpot property cs_mrr): Invalid input: expected number, received undefined',
  expect.stringMatching(/^HubSpot company 9000040: country \(HubSpot property country\): JP is not in settings\.calendar\.countries/),
];
const NOTE = 'HubSpot company 9000060: note: contact 500603 left out: it has no e-mail address in HubSpot';

let portal: LocalHubSpotPortfolio;
let local: Awaited<ReturnType<typeof startImportSandbox>>;
const env = () => ({ HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_API_URL: portal.url });

beforeAll(async () => {
  const all = Array.from({ length: COMPANIES }, (_, i) => i);
  portal = await startHubSpotPortfolio({ accessToken: TOKEN, companies: all.map(company), contacts: all.flatMap(contacts), owners, associationsPerAnswer: 2 });
  local = await startImportSandbox();
});
afterAll(async () => {
  await portal?.close();
  await local?.close();
});
beforeEach(() => portal.reset());

describe('given a HubSpot portal of 230 companies, their owners and contacts', () => {
  it('when it is checked with --dry-run, then the companies HubSpot holds wrong values for are named with the property to fix, and nothing is sent', async () => {
    const run = await runImportCli(['--from', 'hubspot', '--dry-run', '--url', local.server.url], { env: env() });

    expect(run.out).toEqual([REFUSALS[0], REFUSALS[1], REFUSALS[2], REFUSALS[3], NOTE, '230 accounts checked (dry run, nothing sent): 226 would be sent, 4 refused']);
    expect(run.code).toBe(1);
    expect(local.sandbox.executions).toEqual([]);
  });

  it('when it is read, then every call carries the token, the companies and owners are paged with `after`, and exactly the mapped properties are asked', async () => {
    await runImportCli(['--from', 'hubspot', '--dry-run', '--url', local.server.url], { env: env() });

    expect(portal.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const pages = portal.requests.filter((request) => request.path === '/crm/v3/objects/companies');
    expect(pages.map((request) => [request.query.get('limit'), request.query.has('after')])).toEqual([
      ['100', false],
      ['100', true],
      ['100', true],
    ]);
    expect(portal.propertiesAsked[0]!.sort()).toEqual(Object.values(DEFAULT_ACCOUNT_PROPERTIES).sort());
    expect(portal.requests.filter((request) => request.path === '/crm/v3/owners')).toHaveLength(2);
    // Company 60's three contacts come two to an answer: its association paging was followed.
    const follow = portal.requests.filter((request) => request.path === '/crm/v4/associations/companies/contacts/batch/read').map((request) => request.body as { inputs: { id: string; after?: string }[] });
    expect(follow.some((body) => body.inputs.some((input) => input.id === companyId(60) && input.after !== undefined))).toBe(true);
  });

  it('when it is imported into the sandbox, then the ledger holds each good company as an account, its values read as the record’s', { timeout: 300_000 }, async () => {
    const run = await runImportCli(['--from', 'hubspot', '--url', local.server.url], { env: env() });
    expect(run.out.at(-1)).toBe('230 accounts: 226 sent, 0 unchanged (already accepted), 4 refused');

    await eventually(async () => (await local.sandbox.accounts()).length === 226);
    const accounts = new Map((await local.sandbox.accounts()).map((account) => [account.id, account]));
    expect(accounts.get(companyId(1))).toMatchObject({
      name: 'Salon 1',
      country: 'BE',
      timezone: 'Europe/Brussels',
      language: 'fr',
      csmId: '1002',
      csmName: 'Yanis Owner1',
      mrr: 101,
      signedAt: '2019-03-14T09:00:00.000Z',
      contacts: [
        { id: contactId(1, 1), name: 'First1 Last1', email: 'person.1.1@example.com', role: 'champion' },
        { id: contactId(1, 2), role: 'user' },
      ],
    });
    expect(accounts.get(companyId(7))?.csmName).toBe('Noa Owner500');
    expect(accounts.get(companyId(50))).toMatchObject({ country: 'US', renewalAt: '2027-03-01T00:00:00-05:00' });
    expect(accounts.get(companyId(60))?.contacts.map((contact) => contact.id)).toEqual([contactId(60, 1), contactId(60, 2)]);
    expect(accounts.get(companyId(70))?.contacts.map((contact) => contact.role)).toEqual(['champion', 'sponsor']);
    expect(accounts.has(companyId(10))).toBe(false);
  });

  it('when it is imported again with nothing changed in HubSpot, then every company is unchanged; one changed is sent again', async () => {
    await eventually(() => Promise.resolve(local.sandbox.executions.every((execution) => execution.status !== 'RUNNING')));
    const again = await runImportCli(['--from', 'hubspot', '--url', local.server.url], { env: env() });
    expect(again.out.at(-1)).toBe('230 accounts: 0 sent, 226 unchanged (already accepted), 4 refused');

    portal.setProperties(companyId(3), { cs_mrr: '999' }, '2026-11-27T08:00:00.000Z');
    const changed = await runImportCli(['--from', 'hubspot', '--url', local.server.url], { env: env() });
    expect(changed.out.at(-1)).toBe('230 accounts: 1 sent, 225 unchanged (already accepted), 4 refused');
    await eventually(async () => (await local.sandbox.accounts()).find((account) => account.id === companyId(3))?.mrr === 999);
  });

  it('when HubSpot rate-limits the first calls (429, Retry-After), then they are tried again and the read completes', async () => {
    portal.rateLimitNextRequests(2, 1);
    const run = await runImportCli(['--from', 'hubspot', '--dry-run'], { env: env() });

    expect(run.out.at(-1)).toBe('230 accounts checked (dry run, nothing sent): 226 would be sent, 4 refused');
    expect(portal.requests.slice(0, 3).map((request) => request.path)).toEqual(['/crm/v3/owners', '/crm/v3/owners', '/crm/v3/owners']);
  });

  it('when the stage maps mrr to its own property, then the backfill asks for that property and reads mrr from it', async () => {
    portal.setProperties(companyId(4), { monthly_revenue: '4242' }, '2026-11-27T08:00:00.000Z');
    const rows = await readHubSpotAccounts(hubspotApi({ token: TOKEN, root: portal.url }), { properties: accountProperties({ mrr: 'monthly_revenue' }), contactRoleProperty: 'hs_buying_role' });

    expect(portal.propertiesAsked.at(-1)).toContain('monthly_revenue');
    expect(portal.propertiesAsked.at(-1)).not.toContain('cs_mrr');
    expect(rows.find((row) => row.place === `HubSpot company ${companyId(4)}`)?.candidate.mrr).toBe(4242);
  });
});

describe('given HubSpot cannot be read', () => {
  it('when the token is refused, then one line says which token and the scopes it needs', async () => {
    const run = await runImportCli(['--from', 'hubspot', '--dry-run'], { env: { ...env(), HUBSPOT_ACCESS_TOKEN: 'pat-revoked' } });
    expect(run.error?.message).toBe(
      'HubSpot refused the token (HTTP 401 on GET /crm/v3/owners): check HUBSPOT_ACCESS_TOKEN, a private app token with the scopes crm.objects.companies.read, crm.objects.contacts.read and crm.objects.owners.read',
    );
  });

  it('when no token is set and no stage gives one, then one line says to set HUBSPOT_ACCESS_TOKEN', async () => {
    const run = await runImportCli(['--from', 'hubspot', '--dry-run'], { env: { HUBSPOT_API_URL: portal.url } });
    expect(run.error?.message).toMatch(/^the HubSpot backfill needs a private app token: set HUBSPOT_ACCESS_TOKEN/);
  });
});
