import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings, type AccountRecord, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { deliveryIdOf, hubspot, signedUri } from '../../functions/ingest/vendors/hubspot.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { until } from '../support/eventually.ts';
import { hubspotSignatureHeaders } from '../support/vendors/hubspot-webhooks.ts';

// Fixtures: functions/ingest/vendors/samples/README.md names each one's source in HubSpot's docs
// (https://developers.hubspot.com/docs/api/webhooks/validating-requests,
// https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide). HubSpot's docs give no
// worked v3 signature (its SDKs' own tests compute one), so requests are signed per the doc by
// test/support/vendors/hubspot-webhooks.ts.

const CLIENT_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const PREVIOUS_SECRET = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';
const URL_CALLED = 'https://hooks.example.com/webhooks/hubspot';
const NOW = new Date('2026-11-26T07:20:30Z');

const sample = (name: string) => readFileSync(`functions/ingest/vendors/samples/hubspot-${name}.json`, 'utf8');

function harness() {
  const published: { key: string; events: readonly DomainEventMessage[] }[] = [];
  const deps: IngestDeps = {
    now: () => NOW,
    secrets: async () => [CLIENT_SECRET, PREVIOUS_SECRET],
    publishOnce: async (key, events) => void published.push({ key, events }),
  };
  return { published, deps };
}

function request(body: string, options: { secret?: string; signedAt?: Date; url?: string; headers?: Record<string, string | undefined>; sentBody?: string } = {}) {
  const url = options.url ?? URL_CALLED;
  const signed = hubspotSignatureHeaders({ clientSecret: options.secret ?? CLIENT_SECRET, url, body, signedAt: options.signedAt ?? NOW });
  return { method: 'POST', url, headers: { ...signed, ...options.headers }, rawBody: Buffer.from(options.sentBody ?? body, 'utf8') };
}

describe('given HubSpot signs its requests with the v3 signature', () => {
  it('when the documented request body arrives signed with the client secret, then it verifies', () => {
    expect(hubspot.verify(request(sample('request-validation-body')), [CLIENT_SECRET], NOW)).toEqual({ verified: true });
  });

  it('when it is signed with the previous secret during a rotation, then it still verifies', () => {
    expect(hubspot.verify(request(sample('company-name-change'), { secret: PREVIOUS_SECRET }), [CLIENT_SECRET, PREVIOUS_SECRET], NOW)).toEqual({ verified: true });
  });

  it('when one byte of the body changed after signing, then it does not verify', () => {
    const body = sample('company-name-change');
    const verdict = hubspot.verify(request(body, { sentBody: body.replace('"attemptNumber": 0', '"attemptNumber": 1') }), [CLIENT_SECRET], NOW);
    expect(verdict).toEqual({ verified: false, error: expect.stringMatching(/Signature rejected/) });
  });

  it('when the URL is not the one HubSpot called, then it does not verify (the URI is signed)', () => {
    const signed = request(sample('company-name-change'));
    expect(hubspot.verify({ ...signed, url: 'https://hooks.example.com/webhooks/hubspot?x=1' }, [CLIENT_SECRET], NOW).verified).toBe(false);
  });

  it('when the URL carries encoded characters of the doc table, then they are decoded before signing, others are not', () => {
    expect(signedUri('https://hooks.example.com/webhooks/hubspot?state=a%3Ab%2Cc%20d%2a')).toBe('https://hooks.example.com/webhooks/hubspot?state=a:b,c%20d*');
    const url = 'https://hooks.example.com/webhooks/hubspot?portal=62515%3Bx%40y';
    expect(hubspot.verify(request(sample('company-name-change'), { url }), [CLIENT_SECRET], NOW)).toEqual({ verified: true });
  });

  it('when the timestamp is older than five minutes, then it does not verify', () => {
    const verdict = hubspot.verify(request(sample('company-name-change'), { signedAt: new Date(NOW.getTime() - 5 * 60_000 - 1000) }), [CLIENT_SECRET], NOW);
    expect(verdict).toEqual({ verified: false, error: expect.stringMatching(/301 s old; the window is 300 s/) });
  });

  it('when the timestamp is ten minutes in the future, then it does not verify', () => {
    expect(hubspot.verify(request(sample('company-name-change'), { signedAt: new Date(NOW.getTime() + 10 * 60_000) }), [CLIENT_SECRET], NOW).verified).toBe(false);
  });

  it('when the timestamp is not milliseconds, then it does not verify', () => {
    const verdict = hubspot.verify(request(sample('company-name-change'), { headers: { 'x-hubspot-request-timestamp': '2026-11-26T07:20:00Z' } }), [CLIENT_SECRET], NOW);
    expect(verdict).toEqual({ verified: false, error: 'X-HubSpot-Request-Timestamp is not a time in milliseconds' });
  });

  it('when the signature header is missing, then 401 naming it', async () => {
    const { deps, published } = harness();
    const response = await receiveWebhook('hubspot', request(sample('company-name-change'), { headers: { 'x-hubspot-signature-v3': undefined } }), deps);
    expect(response).toEqual({ statusCode: 401, body: { error: 'Missing X-HubSpot-Signature-v3 header' } });
    expect(published).toEqual([]);
  });

  it('when the timestamp header is missing, then 401 naming it', async () => {
    const { deps } = harness();
    const response = await receiveWebhook('hubspot', request(sample('company-name-change'), { headers: { 'x-hubspot-request-timestamp': undefined } }), deps);
    expect(response).toEqual({ statusCode: 401, body: { error: 'Missing X-HubSpot-Request-Timestamp header' } });
  });

  it('when no secret is configured, then nothing verifies', () => {
    expect(hubspot.verify(request(sample('company-name-change')), [], NOW)).toEqual({ verified: false, error: 'No signing secret is configured for this vendor' });
  });
});

describe('given a verified HubSpot batch', () => {
  it("when a company's name changed, then the account's name is updated as of the change", async () => {
    const { deps, published } = harness();
    const body = sample('company-name-change');
    const response = await receiveWebhook('hubspot', request(body), deps);
    expect(response).toEqual({
      statusCode: 202,
      body: { accepted: true, eventId: 'hubspot:62515:2847561:4120335861:8437563:1795677600000:name', type: 'AccountUpdated', events: [{ eventId: 'hubspot:62515:2847561:4120335861:8437563:1795677600000:name', type: 'AccountUpdated' }] },
    });
    expect(published).toEqual([
      {
        key: `hubspot#${deliveryIdOf(JSON.parse(body))}`,
        events: [
          {
            type: 'AccountUpdated',
            timestamp: '2026-11-26T07:20:00.000Z',
            data: { eventId: 'hubspot:62515:2847561:4120335861:8437563:1795677600000:name', accountId: '8437563', name: 'Salon Lumière & Co', updatedAt: '2026-11-26T07:20:00.000Z' },
          },
        ],
      },
    ]);
  });

  it('when a batch mixes companies, a deal, a task and an unsubscribed type, and the stage has no HubSpot token, then each company field is an event and the rest is ignored with its reason', async () => {
    const { deps, published } = harness();
    const response = await receiveWebhook('hubspot', request(sample('mixed-batch')), deps);
    expect(response.statusCode).toBe(202);
    expect(published).toHaveLength(1);
    expect(published[0]!.events.map((event) => event.data)).toEqual([
      { eventId: 'hubspot:62515:2847561:4120335901:8437563:1795677600000:name', accountId: '8437563', name: 'Salon Lumière & Co', updatedAt: '2026-11-26T07:20:00.000Z' },
      { eventId: 'hubspot:62515:2847562:4120335902:8437563:1795677601000:country', accountId: '8437563', country: 'BE', updatedAt: '2026-11-26T07:20:01.000Z' },
      { eventId: 'hubspot:62515:2847563:4120335903:8437563:1795677602000:timezone', accountId: '8437563', timezone: 'Europe/Brussels', updatedAt: '2026-11-26T07:20:02.000Z' },
      // HubSpot's country is free text: "France" is read as FR, as the backfill reads it.
      { eventId: 'hubspot:62515:2847562:4120335904:9120455:1795677603000:country', accountId: '9120455', country: 'FR', updatedAt: '2026-11-26T07:20:03.000Z' },
    ]);
    expect(response.body.ignored).toEqual([
      'event 4120335905 (company.propertyChange): company property "annualrevenue" feeds no account field',
      'event 4120335908 (conversation.newMessage): no playbook reads this subscription type',
      // Only a read of HubSpot's API says what these mean; this harness's stage configures no token.
      "event 4120335906 (deal.creation): reading the deal needs HubSpot's API, which this stage does not configure (HUBSPOT_ACCESS_TOKEN in the vendor secret)",
      "event 4120335907 (object.propertyChange): reading the task needs HubSpot's API, which this stage does not configure (HUBSPOT_ACCESS_TOKEN in the vendor secret)",
    ]);
    // Customer values stay out of the answer: property names and ids only.
    expect(JSON.stringify(response.body.ignored)).not.toContain('France');
  });

  it("when the Webhooks guide's example batch of contact events arrives, then it is accepted and nothing is published", async () => {
    const { deps, published } = harness();
    const response = await receiveWebhook('hubspot', request(sample('webhooks-guide-batch')), deps);
    expect(response).toEqual({
      statusCode: 202,
      body: {
        accepted: true,
        events: [],
        ignored: [
          'event 3816279340 (contact.propertyChange): no playbook reads this subscription type',
          'event 3816279480 (contact.creation): no playbook reads this subscription type',
        ],
      },
    });
    expect(published).toEqual([]);
  });

  it('when a company property is cleared, then it is ignored (the account keeps it); when its time zone is not an IANA zone, then the update names it refused, for the CSM to correct in HubSpot', () => {
    const batch = [
      { eventId: 1, subscriptionId: 2, portalId: 3, appId: 4, occurredAt: 1795677600000, subscriptionType: 'company.propertyChange', attemptNumber: 0, objectId: 5, propertyName: 'name', propertyValue: '' },
      { eventId: 6, subscriptionId: 2, portalId: 3, appId: 4, occurredAt: 1795677600000, subscriptionType: 'company.propertyChange', attemptNumber: 0, objectId: 5, propertyName: 'timezone', propertyValue: 'CET+1' },
      { eventId: 7, subscriptionId: 2, portalId: 3, appId: 4, occurredAt: 1795677600000, subscriptionType: 'company.creation', attemptNumber: 0, objectId: 5 },
    ];
    const translation = hubspot.translate(request(JSON.stringify(batch)), { now: NOW });
    expect(translation).toEqual({
      deliveryId: deliveryIdOf(batch),
      events: [
        {
          type: 'AccountUpdated',
          timestamp: '2026-11-26T07:20:00.000Z',
          data: {
            eventId: expect.stringMatching(/^hubspot:3:2:6:5:1795677600000:timezone$/),
            accountId: '5',
            updatedAt: '2026-11-26T07:20:00.000Z',
            // The reason, never the value.
            crmRefused: [{ field: 'timezone', problem: "HubSpot's company property timezone is not an IANA time zone, e.g. Europe/Paris" }],
          },
        },
      ],
      ignored: [
        'event 1 (company.propertyChange): company property name was cleared; the account keeps its name',
        'event 7 (company.creation): only property changes of a company update the account',
      ],
    });
  });

  it('when HubSpot retries the batch (higher attemptNumber, events in another order), then the delivery id is the same', () => {
    const batch = JSON.parse(sample('mixed-batch')) as { eventId: number; attemptNumber: number }[];
    const retry = [...batch].reverse().map((event) => ({ ...event, attemptNumber: 1 }));
    const first = hubspot.translate(request(JSON.stringify(batch)), { now: NOW });
    const again = hubspot.translate(request(JSON.stringify(retry)), { now: NOW });
    expect('deliveryId' in first && 'deliveryId' in again && first.deliveryId === again.deliveryId).toBe(true);
  });
});

describe('given a HubSpot request that is not what HubSpot documents', () => {
  it('when the body is not JSON, then 400', async () => {
    const { deps } = harness();
    const response = await receiveWebhook('hubspot', request('[{"eventId": 1,'), deps);
    expect(response.statusCode).toBe(400);
    expect(response.body.error).toMatch(/^Body is not valid JSON/);
  });

  it('when an event lacks its objectId and has a text eventId, then 400 naming both fields by path', async () => {
    const { deps } = harness();
    const batch = JSON.parse(sample('company-name-change')) as Record<string, unknown>[];
    delete batch[0]!.objectId;
    batch[0]!.eventId = 'abc';
    const response = await receiveWebhook('hubspot', request(JSON.stringify(batch)), deps);
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      error: 'HubSpot webhook body is not an array of 1 to 100 events as documented',
      details: [expect.stringMatching(/^\[0\]\.eventId: /), expect.stringMatching(/^\[0\]\.objectId: /)],
    });
  });

  it('when the body is an object instead of an array, or an empty array, or 101 events, then 400', async () => {
    const { deps } = harness();
    const event = JSON.parse(sample('company-name-change'))[0];
    for (const body of [JSON.stringify(event), '[]', JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ ...event, eventId: i })))]) {
      expect((await receiveWebhook('hubspot', request(body), deps)).statusCode).toBe(400);
    }
  });

  it('when the content type is not JSON, then 415', async () => {
    const { deps } = harness();
    const response = await receiveWebhook('hubspot', request(sample('company-name-change'), { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), deps);
    expect(response.statusCode).toBe(415);
  });
});

describe('given the sandbox is running with a HubSpot company as an account', () => {
  const COMPANY_ID = '8437563';
  let sandbox: Sandbox;
  let server: SandboxServer;

  beforeAll(async () => {
    sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings() });
    server = await startServer(sandbox, { port: 0, secrets: (vendor) => (vendor === 'hubspot' ? [CLIENT_SECRET, PREVIOUS_SECRET] : []) });
    const account = JSON.parse(readFileSync('functions/contracts/samples/AccountUpdated.json', 'utf8')).data as AccountRecord & { eventId?: string; accountId?: string };
    const { eventId: _eventId, accountId: _accountId, ...record } = account;
    // As the CRM knew it before the sample's change (HubSpot stamps it 2026-11-26): whatever today's date,
    // the name change is the newer fact.
    await sandbox.importAccounts([{ ...record, id: COMPANY_ID, name: 'Salon Lumière' }], { asOf: '2026-11-01T00:00:00Z' });
  });

  afterAll(async () => {
    await server?.close();
    await sandbox?.stop();
  });

  async function post(body: string) {
    const url = `${server.url}/webhooks/hubspot`;
    return fetch(url, { method: 'POST', headers: hubspotSignatureHeaders({ clientSecret: CLIENT_SECRET, url, body }), body });
  }


  const nameOf = async () => (await sandbox.accounts()).find((account) => account.id === COMPANY_ID)?.name;
  const syncs = () => sandbox.executions.filter((execution) => execution.playbook === 'account-sync');

  it("when HubSpot posts a company's name change, then the account is renamed", async () => {
    const response = await post(sample('company-name-change'));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: true, eventId: 'hubspot:62515:2847561:4120335861:8437563:1795677600000:name', type: 'AccountUpdated' });
    await until(async () => (await nameOf()) === 'Salon Lumière & Co');
    await until(() => syncs().length === 1 && syncs()[0]!.status !== 'RUNNING');
    expect(syncs()[0]!.status).toBe('SUCCEEDED');
  });

  it('when HubSpot retries the same batch (attemptNumber 1), then it is accepted and nothing new is published', async () => {
    const retry = (JSON.parse(sample('company-name-change')) as Record<string, unknown>[]).map((event) => ({ ...event, attemptNumber: 1 }));
    const response = await post(JSON.stringify(retry));
    expect(response.status).toBe(202);
    await sandbox.settled();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(syncs()).toHaveLength(1);
    expect(await nameOf()).toBe('Salon Lumière & Co');
  });
});
