import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { bearerApi, vendorApis } from '../../functions/ingest/vendor-api.ts';
import { deliveryIdOf } from '../../functions/ingest/vendors/hubspot.ts';
import { RETENTION_PORTAL, startRetentionHubSpot, type LocalHubSpot } from '../support/vendors/hubspot.ts';
import { hubspotSignatureHeaders } from '../support/vendors/hubspot-webhooks.ts';

// HubSpot's webhooks name objects only; the ingest reads them from HubSpot's CRM API (a local server
// implementing the documented `GET /crm/v3/objects/{type}/{id}?properties=&associations=`) before
// anything goes on the bus. Fixtures: functions/ingest/vendors/samples/README.md.

const CLIENT_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URL_CALLED = 'https://hooks.example.com/webhooks/hubspot';
const NOW = new Date('2026-11-26T07:40:00Z');
const COMPANY = { id: '8437563', name: 'Salon Lumière', accountId: 'acc-lumiere' };

type HubSpotEvent = Record<string, unknown> & { eventId: number; objectId: number; portalId: number; subscriptionId: number; occurredAt: number; propertyName?: string };
const sample = (name: string) => JSON.parse(readFileSync(`functions/ingest/vendors/samples/hubspot-${name}.json`, 'utf8')) as HubSpotEvent[];
/** The sample with the objects the local portal holds. */
const batch = (name: string, ...objectIds: string[]) => sample(name).map((event, i) => ({ ...event, objectId: Number(objectIds[i] ?? event.objectId) }));

let hubspot: LocalHubSpot;
let published: { key: string; events: readonly DomainEventMessage[] }[];
let settings: Record<string, string>;

beforeAll(async () => {
  hubspot = await startRetentionHubSpot(COMPANY);
});
afterAll(async () => hubspot?.close());
beforeEach(() => {
  hubspot.reset();
  published = [];
  settings = { HUBSPOT_API_URL: hubspot.url, HUBSPOT_RISK_PIPELINE: RETENTION_PORTAL.pipeline };
});

function deps(token: string = RETENTION_PORTAL.accessToken): IngestDeps {
  const seen = new Set<string>();
  return {
    now: () => NOW,
    secrets: async () => [CLIENT_SECRET],
    // Once per delivery key, as Powertools idempotency does.
    publishOnce: async (key, events) => {
      if (seen.has(key)) return;
      seen.add(key);
      published.push({ key, events });
    },
    vendorApi: vendorApis({ env: settings, tokens: async () => ({ HUBSPOT_ACCESS_TOKEN: token }) }),
  };
}

function post(events: readonly unknown[], ingest: IngestDeps = deps()) {
  const body = JSON.stringify(events);
  const request = { method: 'POST', url: URL_CALLED, headers: hubspotSignatureHeaders({ clientSecret: CLIENT_SECRET, url: URL_CALLED, body, signedAt: NOW }), rawBody: Buffer.from(body) };
  return receiveWebhook('hubspot', request, ingest);
}

const ourTask = (status = 'COMPLETED', ledgerId = 'task-7f3a') =>
  hubspot.addObject('tasks', { cs_playbooks_id: ledgerId, hs_task_status: status, hs_task_subject: 'Call the champion', hs_timestamp: '2026-11-27T09:00:00.000Z' }, [`companies:${COMPANY.id}`]);

describe('given HubSpot says a task became COMPLETED', () => {
  it('when it is a task cs-playbooks created, then TaskCompleted of our ledger task on its company, as of occurredAt, read with the token and the documented query', async () => {
    const task = ourTask();
    const events = batch('task-completed', task.id);
    const response = await post(events);

    expect(response).toEqual({
      statusCode: 202,
      body: { accepted: true, eventId: expect.stringMatching(/^hubspot:62515:2847570:4120335950:\d+:1795678200000:hs_task_status$/), type: 'TaskCompleted', events: [{ eventId: expect.stringMatching(/^hubspot:62515:2847570:4120335950:\d+:1795678200000:hs_task_status$/), type: 'TaskCompleted' }] },
    });
    expect(published).toEqual([
      {
        key: `hubspot#${deliveryIdOf(events)}`,
        events: [
          {
            type: 'TaskCompleted',
            timestamp: '2026-11-26T07:30:00.000Z',
            data: { eventId: expect.stringMatching(/^hubspot:62515:2847570:4120335950:\d+:1795678200000:hs_task_status$/), accountId: COMPANY.id, taskId: 'task-7f3a', at: '2026-11-26T07:30:00.000Z' },
          },
        ],
      },
    ]);
    expect(hubspot.reads).toEqual([`/crm/v3/objects/tasks/${task.id}?properties=cs_playbooks_id%2Chs_task_status&associations=companies`]);
    expect(hubspot.refusals).toEqual([]);
  });

  it('when it comes as the legacy task.propertyChange, then the same TaskCompleted', async () => {
    const task = ourTask();
    const events = batch('task-completed', task.id).map((event) => ({ ...event, objectTypeId: undefined, subscriptionType: 'task.propertyChange' }));
    const response = await post(events);
    expect(response.statusCode).toBe(202);
    expect(published[0]!.events[0]!.data).toEqual({ eventId: expect.stringMatching(/^hubspot:62515:2847570:4120335950:\d+:1795678200000:hs_task_status$/), accountId: COMPANY.id, taskId: 'task-7f3a', at: '2026-11-26T07:30:00.000Z' });
  });

  it('when the stage keys accounts by a company property, then the account id is that property of the task’s company', async () => {
    settings.HUBSPOT_COMPANY_ID_PROPERTY = 'cs_account_id';
    const task = ourTask();
    await post(batch('task-completed', task.id));
    expect(published[0]!.events[0]!.data).toMatchObject({ accountId: 'acc-lumiere', taskId: 'task-7f3a' });
    expect(hubspot.reads).toContain(`/crm/v3/objects/companies/${COMPANY.id}?properties=cs_account_id`);
  });

  it('when the task was not created by cs-playbooks (no cs_playbooks_id), then it is ignored with that reason and nothing is published', async () => {
    const task = hubspot.addObject('tasks', { hs_task_status: 'COMPLETED', hs_timestamp: '2026-11-27T09:00:00.000Z' }, [`companies:${COMPANY.id}`]);
    const response = await post(batch('task-completed', task.id));
    expect(response).toEqual({
      statusCode: 202,
      body: { accepted: true, events: [], ignored: ['event 4120335950 (object.propertyChange): the task has no cs_playbooks_id: cs-playbooks did not create it'] },
    });
    expect(published).toEqual([]);
  });

  it('when the task was deleted since (404), then it is ignored with that reason', async () => {
    const task = ourTask();
    hubspot.deleteObject('tasks', task.id);
    const response = await post(batch('task-completed', task.id));
    expect(response.statusCode).toBe(202);
    expect(response.body.ignored).toEqual(['event 4120335950 (object.propertyChange): the task no longer exists in HubSpot (deleted since)']);
    expect(published).toEqual([]);
  });

  it('when the task was reopened before the event arrived, then the record counts: ignored', async () => {
    const task = ourTask('NOT_STARTED');
    const response = await post(batch('task-completed', task.id));
    expect(response.body.ignored).toEqual(['event 4120335950 (object.propertyChange): the task is no longer COMPLETED in HubSpot (reopened since)']);
  });

  it('when another task property changed, then it is ignored without reading HubSpot', async () => {
    const events = sample('task-completed').map((event) => ({ ...event, propertyValue: 'IN_PROGRESS' }));
    const response = await post(events);
    expect(response.body.ignored).toEqual(["event 4120335950 (object.propertyChange): only a task's hs_task_status becoming COMPLETED completes a ledger task"]);
    expect(hubspot.reads).toEqual([]);
  });
});

describe('given HubSpot says a deal was created', () => {
  const deal = (properties: Record<string, string>) =>
    hubspot.addObject('deals', { dealname: 'Lumière may leave', dealstage: 'risk-open', pipeline: RETENTION_PORTAL.pipeline, createdate: '2026-11-26T07:30:55.120Z', ...properties }, [
      `companies:${COMPANY.id}`,
    ]);

  it('when it is in the retention pipeline with cs_risk_kind downsell-risk and a description, then ChurnRiskCreated of that kind and reason, created at its createdate', async () => {
    const created = deal({ cs_risk_kind: 'downsell-risk', description: 'Wants to drop the SMS add-on' });
    const response = await post(batch('deal-created', created.id));
    expect(response.statusCode).toBe(202);
    expect(published[0]!.events).toEqual([
      {
        type: 'ChurnRiskCreated',
        timestamp: '2026-11-26T07:30:55.120Z',
        data: { eventId: expect.stringMatching(/^hubspot:62515:2847571:4120335960:\d+:1795678260000:$/), accountId: COMPANY.id, kind: 'downsell-risk', reason: 'Wants to drop the SMS add-on', createdAt: '2026-11-26T07:30:55.120Z' },
      },
    ]);
    expect(hubspot.reads).toEqual([
      `/crm/v3/objects/deals/${created.id}?properties=cs_playbooks_id%2Cpipeline%2Cdealname%2Cdescription%2Ccreatedate%2Ccs_risk_kind&associations=companies`,
    ]);
  });

  it('when it has no cs_risk_kind nor description, then a churn-risk whose reason is the deal name', async () => {
    const created = deal({});
    await post(batch('deal-created', created.id));
    expect(published[0]!.events[0]!.data).toEqual({ eventId: expect.stringMatching(/^hubspot:62515:2847571:4120335960:\d+:1795678260000:$/), accountId: COMPANY.id, kind: 'churn-risk', reason: 'Lumière may leave', createdAt: '2026-11-26T07:30:55.120Z' });
  });

  it('when cs-playbooks opened it itself (it carries cs_playbooks_id), or it is in another pipeline, or its kind is unknown, then it is ignored: no loop', async () => {
    const ours = deal({ cs_playbooks_id: 'risk-42' });
    const sales = deal({ pipeline: 'default', dealstage: 'appointmentscheduled' });
    const odd = deal({ cs_risk_kind: 'upsell' });
    const events = [ours, sales, odd].map((d, i) => ({ ...sample('deal-created')[0]!, eventId: 4120335960 + i, objectId: Number(d.id) }));
    const response = await post(events);
    expect(response.body.ignored).toEqual([
      'event 4120335960 (deal.creation): the deal carries cs_playbooks_id: cs-playbooks opened this risk itself',
      'event 4120335961 (deal.creation): the deal is not in the retention pipeline (HUBSPOT_RISK_PIPELINE)',
      "event 4120335962 (deal.creation): the deal's cs_risk_kind is neither churn-risk nor downsell-risk",
    ]);
    expect(published).toEqual([]);
  });
});

describe('given HubSpot says a call, a meeting and an e-mail were logged', () => {
  it('then one TouchpointLogged each, on the company, at the engagement’s hs_timestamp, with its contact', async () => {
    const call = hubspot.addObject('calls', { hs_timestamp: '2026-11-26T07:25:00.000Z' }, [`companies:${COMPANY.id}`, 'contacts:901']);
    const meeting = hubspot.addObject('meetings', { hs_timestamp: '2026-11-26T14:00:00.000Z' }, [`companies:${COMPANY.id}`]);
    const email = hubspot.addObject('emails', { hs_timestamp: '1795677900000' }, [`companies:${COMPANY.id}`, 'contacts:902']);
    const response = await post(batch('engagements-created', call.id, meeting.id, email.id));
    expect(response.statusCode).toBe(202);
    expect(published[0]!.events).toEqual([
      { type: 'TouchpointLogged', timestamp: '2026-11-26T07:25:00.000Z', data: { eventId: expect.stringMatching(/^hubspot:62515:2847572:4120335970:\d+:1795678320000:$/), accountId: COMPANY.id, channel: 'call', contactId: '901', at: '2026-11-26T07:25:00.000Z' } },
      { type: 'TouchpointLogged', timestamp: '2026-11-26T14:00:00.000Z', data: { eventId: expect.stringMatching(/^hubspot:62515:2847573:4120335971:\d+:1795678380000:$/), accountId: COMPANY.id, channel: 'meeting', at: '2026-11-26T14:00:00.000Z' } },
      { type: 'TouchpointLogged', timestamp: '2026-11-26T07:25:00.000Z', data: { eventId: expect.stringMatching(/^hubspot:62515:2847574:4120335972:\d+:1795678440000:$/), accountId: COMPANY.id, channel: 'email', contactId: '902', at: '2026-11-26T07:25:00.000Z' } },
    ]);
    expect(hubspot.reads).toEqual([
      `/crm/v3/objects/calls/${call.id}?properties=hs_timestamp&associations=companies%2Ccontacts`,
      `/crm/v3/objects/meetings/${meeting.id}?properties=hs_timestamp&associations=companies%2Ccontacts`,
      `/crm/v3/objects/emails/${email.id}?properties=hs_timestamp&associations=companies%2Ccontacts`,
    ]);
  });

  it('when the engagement is on no company, then it is ignored: no account to log it on', async () => {
    const call = hubspot.addObject('calls', { hs_timestamp: '2026-11-26T07:25:00.000Z' }, ['contacts:901']);
    const response = await post(batch('engagements-created', call.id).slice(0, 1));
    expect(response.body.ignored).toEqual(['event 4120335970 (object.creation): the call is associated with no company, so with no account']);
  });
});

describe("given HubSpot's API cannot answer", () => {
  it('when it is down (503), then 503 with Retry-After and nothing published; the retry (attemptNumber 1) is published, once', async () => {
    const task = ourTask();
    const ingest = deps();
    hubspot.failNextRequests(1, { status: 503, body: { status: 'error', message: 'Service Unavailable', category: 'INTERNAL_ERROR' } });
    const first = await post(batch('task-completed', task.id), ingest);
    expect(first).toEqual({ statusCode: 503, headers: { 'retry-after': '30' }, body: { error: "HubSpot's API failed reading a task (HTTP 503); nothing was accepted, send it again" } });
    expect(published).toEqual([]);

    const retry = batch('task-completed', task.id).map((event) => ({ ...event, attemptNumber: 1 }));
    expect((await post(retry, ingest)).statusCode).toBe(202);
    expect((await post(retry, ingest)).statusCode).toBe(202);
    expect(published).toHaveLength(1);
    expect(published[0]!.events.map((event) => event.type)).toEqual(['TaskCompleted']);
  });

  it('when it rate-limits (429, Retry-After 7), then 503 asking to come back in 7 s', async () => {
    const task = ourTask();
    hubspot.rateLimitNextRequests(1, { retryAfterSeconds: 7 });
    const response = await post(batch('task-completed', task.id));
    expect(response.statusCode).toBe(503);
    expect(response.headers).toEqual({ 'retry-after': '7' });
  });

  it('when it refuses the token (401), then 503: ops must fix the token, HubSpot keeps retrying; the token is not echoed', async () => {
    const task = ourTask();
    const response = await post(batch('task-completed', task.id), deps('pat-eu1-wrong-token'));
    expect(response.statusCode).toBe(503);
    expect(response.body.error).toMatch(/^HubSpot refused the stage's token \(HTTP 401\) reading a task: ops must fix HUBSPOT_ACCESS_TOKEN in the vendor secret/);
    expect(JSON.stringify(response)).not.toContain('pat-eu1-wrong-token');
    expect(published).toEqual([]);
  });

  it('when it cannot be reached, then 503', async () => {
    settings.HUBSPOT_API_URL = 'http://127.0.0.1:9';
    const response = await post(batch('task-completed', '1000'));
    expect(response.statusCode).toBe(503);
    expect(response.body.error).toMatch(/^HubSpot's API could not be reached/);
  });

  it('when the vendor secret cannot be read, then 503', async () => {
    const ingest = { ...deps(), vendorApi: async () => Promise.reject(new Error('Secrets Manager GetSecretValue failed: HTTP 400 AccessDeniedException')) };
    const response = await post(batch('task-completed', '1000'), ingest);
    expect(response).toMatchObject({ statusCode: 503, headers: { 'retry-after': '30' } });
  });

  it('when a company change and a task completion come together and HubSpot is down, then neither is published until the retry', async () => {
    const task = ourTask();
    const company = { ...batch('task-completed', task.id)[0]!, eventId: 1, subscriptionType: 'company.propertyChange', objectTypeId: undefined, objectId: Number(COMPANY.id), propertyName: 'name', propertyValue: 'Salon Lumière & Co' };
    const events = [company, ...batch('task-completed', task.id)];
    const ingest = deps();
    hubspot.failNextRequests(1, { status: 502 });
    expect((await post(events, ingest)).statusCode).toBe(503);
    expect(published).toEqual([]);
    expect((await post(events, ingest)).statusCode).toBe(202);
    expect(published[0]!.events.map((event) => event.type)).toEqual(['AccountUpdated', 'TaskCompleted']);
  });
});

describe('given the API access', () => {
  it('when the stage has no HubSpot token, then there is none, and other vendors have none', async () => {
    expect(await vendorApis({ env: {}, tokens: async () => ({}) })('hubspot')).toBeUndefined();
    expect(await vendorApis({ env: {}, tokens: async () => ({ HUBSPOT_ACCESS_TOKEN: 'pat' }) })('events')).toBeUndefined();
  });

  it('when a read is made, then it carries the bearer token and answers the status, the JSON and Retry-After', async () => {
    const api = bearerApi({ name: 'HubSpot', root: `${hubspot.url}/`, token: RETENTION_PORTAL.accessToken, settings: {} });
    const answer = await api.get(`/crm/v3/objects/companies/${COMPANY.id}?properties=name`);
    expect(answer).toMatchObject({ status: 200, json: { id: COMPANY.id, properties: { name: 'Salon Lumière' } } });
  });
});
