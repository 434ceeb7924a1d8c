import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { vendorApis, vendorSettings } from '../../functions/ingest/vendor-api.ts';
import { startHubSpotPortfolio, type LocalHubSpotPortfolio } from '../support/vendors/hubspot-portfolio.ts';
import { hubspotSignatureHeaders } from '../support/vendors/hubspot-webhooks.ts';

// `company.propertyChange` follows the stage's property mapping (functions/ingest/vendors/hubspot-accounts.ts,
// the backfill's too): a change of any mapped property updates the field it feeds, its value read as
// the backfill reads it. A date needs the account's time zone, a new owner its name, a stage keying
// accounts by a company property that property: those are read from HubSpot's CRM API (a local server
// implementing the documented endpoints) before anything is published.

const CLIENT_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const TOKEN = 'pat-eu1-company-changes';
const URL_CALLED = 'https://hooks.example.com/webhooks/hubspot';
const NOW = new Date('2026-11-26T07:40:00Z');
const OCCURRED_AT = Date.parse('2026-11-26T07:20:00Z');
const COMPANY_ID = '8437563';

let portal: LocalHubSpotPortfolio;
let published: DomainEventMessage[];

beforeAll(async () => {
  portal = await startHubSpotPortfolio({
    accessToken: TOKEN,
    companies: [{ id: COMPANY_ID, properties: { name: 'Deli Brooklyn', timezone: 'America/New_York', cs_renewal_at: '2027-03-01', cs_account_id: 'acc-deli', hubspot_owner_id: '301' } }],
    contacts: [],
    owners: [{ id: '301', firstName: 'Camille', lastName: 'Roussel' }],
  });
});
afterAll(async () => portal?.close());
beforeEach(() => {
  portal.reset();
  published = [];
});

function ingest(settings: Record<string, string> = {}, token: string | null = TOKEN): IngestDeps {
  const env = { HUBSPOT_API_URL: portal.url, ...settings };
  return {
    now: () => NOW,
    secrets: async () => [CLIENT_SECRET],
    publishOnce: async (_key, events) => void published.push(...events),
    vendorApi: vendorApis({ env, tokens: async () => (token ? { HUBSPOT_ACCESS_TOKEN: token } : {}) }),
    vendorSettings: vendorSettings(env),
  };
}

/** HubSpot's `company.propertyChange` of `propertyName` to `propertyValue`, signed as HubSpot signs it. */
function change(propertyName: string, propertyValue: string, eventId = 4120400001, occurredAt = OCCURRED_AT) {
  const body = JSON.stringify([
    { eventId, subscriptionId: 2847561, portalId: 62515, appId: 54321, occurredAt, subscriptionType: 'company.propertyChange', attemptNumber: 0, objectId: Number(COMPANY_ID), propertyName, propertyValue, changeSource: 'CRM_UI' },
  ]);
  return { method: 'POST', url: URL_CALLED, headers: hubspotSignatureHeaders({ clientSecret: CLIENT_SECRET, url: URL_CALLED, body, signedAt: NOW }), rawBody: Buffer.from(body) };
}

const fields = () => published.map(({ data: { eventId: _eventId, ...rest } }) => rest);

describe('given a HubSpot company changes a mapped property', () => {
  it('when the stage maps segment to its own property, then a change of that property updates segment, without a read', async () => {
    const response = await receiveWebhook('hubspot', change('customer_tier', 'enterprise'), ingest({ HUBSPOT_ACCOUNT_PROPERTIES: '{"segment":"customer_tier"}' }));

    expect(response.statusCode).toBe(202);
    expect(fields()).toEqual([{ accountId: COMPANY_ID, segment: 'enterprise', updatedAt: '2026-11-26T07:20:00.000Z' }]);
    expect(portal.requests).toEqual([]);
  });

  it('when cs_mrr (the default for mrr) changes, then mrr is that number; a formatted amount is sent as refused with its reason (never the value), for account-sync to tell the CSM', async () => {
    await receiveWebhook('hubspot', change('cs_mrr', '2400'), ingest());
    const formatted = await receiveWebhook('hubspot', change('cs_mrr', '2 400 €', 4120400002), ingest());

    expect(formatted.statusCode).toBe(202);
    expect(fields()).toEqual([
      { accountId: COMPANY_ID, mrr: 2400, updatedAt: '2026-11-26T07:20:00.000Z' },
      { accountId: COMPANY_ID, updatedAt: '2026-11-26T07:20:00.000Z', crmRefused: [{ field: 'mrr', problem: "HubSpot's company property cs_mrr is not an amount: digits, and a dot before decimals" }] },
    ]);
    expect(JSON.stringify(published)).not.toContain('2 400');
  });

  it('when the default cs_mrr is no longer mapped (the stage maps mrr elsewhere), then its change feeds nothing', async () => {
    const response = await receiveWebhook('hubspot', change('cs_mrr', '2400'), ingest({ HUBSPOT_ACCOUNT_PROPERTIES: '{"mrr":"monthly_revenue"}' }));
    expect(response.body.ignored).toEqual(['event 4120400001 (company.propertyChange): company property "cs_mrr" feeds no account field']);
  });

  it("when a date property changes (the renewal), then the company is read and the date is the start of that day in the account's zone", async () => {
    // A webhook carries a date as midnight UTC in milliseconds: in New York, the evening before.
    await receiveWebhook('hubspot', change('cs_renewal_at', String(Date.parse('2027-03-01T00:00:00Z'))), ingest());

    expect(fields()).toEqual([{ accountId: COMPANY_ID, renewalAt: '2027-03-01T00:00:00-05:00', updatedAt: '2026-11-26T07:20:00.000Z' }]);
    const [read] = portal.requests;
    expect(read?.path).toBe(`/crm/v3/objects/companies/${COMPANY_ID}`);
    expect(read?.query.get('properties')?.split(',')).toEqual(['cs_renewal_at', 'timezone']);
    expect(read?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("when the company's owner changes, then csmId is the owner and csmName the owner's name, read from HubSpot's owners", async () => {
    await receiveWebhook('hubspot', change('hubspot_owner_id', '301'), ingest());

    expect(fields()).toEqual([{ accountId: COMPANY_ID, csmId: '301', csmName: 'Camille Roussel', updatedAt: '2026-11-26T07:20:00.000Z' }]);
    expect(portal.requests.map((request) => request.path)).toEqual([`/crm/v3/objects/companies/${COMPANY_ID}`, '/crm/v3/owners/301']);
  });

  it('when the stage keys accounts by a company property, then the account is the one that property names', async () => {
    await receiveWebhook('hubspot', change('name', 'Deli Brooklyn & Co'), ingest({ HUBSPOT_COMPANY_ID_PROPERTY: 'cs_account_id' }));

    // The record now is what counts: HubSpot still holds the name read, the event being late or not.
    expect(fields()).toEqual([{ accountId: 'acc-deli', name: 'Deli Brooklyn', updatedAt: '2026-11-26T07:20:00.000Z' }]);
  });

  it('when the stage has no HubSpot token, then a change that needs a read is acknowledged and ignored, saying why', async () => {
    const response = await receiveWebhook('hubspot', change('cs_renewal_at', '1803859200000'), ingest({}, null));

    expect(response.statusCode).toBe(202);
    expect(published).toEqual([]);
    expect(response.body.ignored).toEqual([
      "event 4120400001 (company.propertyChange): reading the company needs HubSpot's API, which this stage does not configure (HUBSPOT_ACCESS_TOKEN in the vendor secret)",
    ]);
  });

  it('when the change is stamped in 2999 (occurredAt), then 400 naming the event’s occurredAt, and nothing is published: it would freeze the field', async () => {
    const response = await receiveWebhook('hubspot', change('hubspot_owner_id', '301', 4120400003, Date.parse('2999-01-01T00:00:00Z')), ingest());

    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([expect.stringMatching(/^\[0\]\.occurredAt: ahead of our clock by more than 5 minutes/)]);
    expect(published).toEqual([]);
    expect(portal.requests).toEqual([]);
  });

  it('when the change is stamped a few minutes after our clock (HubSpot’s clock a little fast), then it is accepted as stamped', async () => {
    const fourMinutesAhead = NOW.getTime() + 4 * 60_000;
    await receiveWebhook('hubspot', change('cs_mrr', '2400', 4120400004, fourMinutesAhead), ingest());

    expect(fields()).toEqual([{ accountId: COMPANY_ID, mrr: 2400, updatedAt: new Date(fourMinutesAhead).toISOString() }]);
  });

  it('when cs_mrr reads as an amount no account pays (1e200), then it is sent as refused naming mrr’s bound: the account keeps its MRR, the CSM is told', async () => {
    const response = await receiveWebhook('hubspot', change('cs_mrr', `1${'0'.repeat(200)}`, 4120400005), ingest());

    expect(response.statusCode).toBe(202);
    expect(fields()).toEqual([{ accountId: COMPANY_ID, updatedAt: '2026-11-26T07:20:00.000Z', crmRefused: [{ field: 'mrr', problem: 'Too big: expected number to be <=1000000000' }] }]);
  });
});
