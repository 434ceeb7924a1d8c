import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubSpotCrm, type HubSpotConfig } from '../../functions/adapters/hubspot/hubspot-crm.ts';
import type { CrmRisk, CrmTask } from '../../functions/adapters/ports.ts';
import { RETENTION_PORTAL, startRetentionHubSpot, type LocalHubSpot } from '../support/vendors/hubspot.ts';

// CrmSync against a local HubSpot (test/support/vendors/hubspot.ts) implementing the CRM v3 batch
// upsert by a unique property, v4 default associations and company updates, with HubSpot's dedup.

const TOKEN = RETENTION_PORTAL.accessToken;
const COMPANY_ID = '9001';
const RETENTION_PIPELINE = RETENTION_PORTAL.pipeline;
const STAGES = RETENTION_PORTAL.stages;

let hubspot: LocalHubSpot;

beforeEach(async () => {
  hubspot = await startRetentionHubSpot({ id: COMPANY_ID, name: 'Salon Exemple', accountId: 'acc-1' }, { default: ['appointmentscheduled'] });
});

afterEach(async () => {
  expect(hubspot.refusals).toEqual([]);
  await hubspot.close();
});

function crm(overrides: Partial<HubSpotConfig> = {}) {
  return new HubSpotCrm({
    accessToken: TOKEN,
    apiUrl: hubspot.url,
    riskPipeline: RETENTION_PIPELINE,
    riskStages: STAGES,
    now: () => new Date(),
    ...overrides,
  });
}

const redAlertCall: CrmTask = {
  idempotencyKey: 'tsk-0123456789abcdef0123',
  accountId: COMPANY_ID,
  kind: 'red-alert-call',
  title: 'Red alert: book a meeting before the competitor does — Salon Exemple',
  body: 'Competitor meeting on Tuesday 17 November',
  dueAt: '2026-11-16T09:00:00+01:00',
  ownerId: '71234',
};

describe('a task in HubSpot', () => {
  it('given a company in HubSpot, when a task is synced, then HubSpot receives the documented upsert by cs_playbooks_id and the default association to the company', async () => {
    const ref = await crm().upsertTask(redAlertCall);

    expect(hubspot.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /crm/v3/objects/tasks/batch/upsert',
      `PUT /crm/v4/objects/tasks/${ref.crmId}/associations/default/companies/${COMPANY_ID}`,
    ]);
    const [upsert, associate] = hubspot.requests;
    expect(upsert!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(upsert!.headers['content-type']).toBe('application/json');
    expect(upsert!.body).toEqual({
      inputs: [
        {
          idProperty: 'cs_playbooks_id',
          id: redAlertCall.idempotencyKey,
          properties: {
            cs_playbooks_id: redAlertCall.idempotencyKey,
            hs_timestamp: '2026-11-16T08:00:00.000Z',
            hs_task_subject: redAlertCall.title,
            hs_task_type: 'CALL',
            hs_task_body: redAlertCall.body,
            hubspot_owner_id: '71234',
          },
        },
      ],
    });
    expect(associate!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(associate!.rawBody).toBe('');

    expect(ref).toEqual({ crmId: hubspot.objects('tasks')[0]!.id, created: true });
    expect(hubspot.associations).toEqual([{ from: `tasks:${ref.crmId}`, to: `companies:${COMPANY_ID}`, associationTypeId: 192 }]);
  });

  it('given an owner id that is not a HubSpot owner id, when a task is synced, then the task is created unassigned rather than refused', async () => {
    await crm().upsertTask({ ...redAlertCall, ownerId: 'csm-alice' });

    expect(hubspot.objects('tasks')[0]!.properties).not.toHaveProperty('hubspot_owner_id');
  });

  it('given HubSpot created the task but its answer was lost, when the state machine retries with the same key, then HubSpot still holds one task', async () => {
    hubspot.dropNextResponses(1);

    await expect(crm().upsertTask(redAlertCall)).rejects.toMatchObject({ name: 'VendorUnavailable', vendor: 'hubspot' });
    expect(hubspot.objects('tasks')).toHaveLength(1);
    const retried = await crm().upsertTask(redAlertCall);

    expect(hubspot.objects('tasks')).toHaveLength(1);
    expect(retried).toEqual({ crmId: hubspot.objects('tasks')[0]!.id, created: false });
    expect(hubspot.associations).toHaveLength(1);
  });

  it('given HubSpot answers 503 twice, when the task is retried until it passes, then no task is lost and none is duplicated', async () => {
    hubspot.failNextRequests(2, { status: 503, body: { status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' } });

    await expect(crm().upsertTask(redAlertCall)).rejects.toMatchObject({ name: 'VendorUnavailable', status: 503, code: 'SERVICE_UNAVAILABLE' });
    await expect(crm().upsertTask(redAlertCall)).rejects.toMatchObject({ name: 'VendorUnavailable', status: 503 });
    const ref = await crm().upsertTask(redAlertCall);

    expect(ref.created).toBe(true);
    expect(hubspot.objects('tasks')).toHaveLength(1);
  });

  it('given HubSpot rate-limits (429 SECONDLY, Retry-After: 10), when a task is synced, then VendorUnavailable carries the policy and the Retry-After', async () => {
    hubspot.rateLimitNextRequests(1, { retryAfterSeconds: 10 });

    const error = (await crm().upsertTask(redAlertCall).catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ name: 'VendorUnavailable', status: 429, code: 'RATE_LIMIT:SECONDLY', retryAfterSeconds: 10 });
    expect(error.message).toBe('hubspot tasks/batch/upsert unavailable: HTTP 429 RATE_LIMIT:SECONDLY; Retry-After 10 s');
    expect(hubspot.objects('tasks')).toHaveLength(0);
  });

  it('given a key property HubSpot does not hold as unique (400), when a task is synced, then VendorRejected', async () => {
    const error = (await crm({ idProperty: 'cs_not_unique' })
      .upsertTask(redAlertCall)
      .catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ name: 'VendorRejected', status: 400, code: 'VALIDATION_ERROR' });
    expect(error.message).toBe('hubspot tasks/batch/upsert rejected the request: HTTP 400 VALIDATION_ERROR');
    expect(hubspot.objects('tasks')).toHaveLength(0);
  });

  it('given a revoked token, when a task is synced, then VendorMisconfigured INVALID_AUTHENTICATION (for ops, not a task per CSM)', async () => {
    const error = await crm({ accessToken: 'pat-revoked' }).upsertTask(redAlertCall).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'VendorMisconfigured', status: 401, code: 'INVALID_AUTHENTICATION' });
    expect(hubspot.refusals).toEqual([{ path: '/crm/v3/objects/tasks/batch/upsert', status: 401, category: 'INVALID_AUTHENTICATION' }]);
    hubspot.reset(); // that refusal is this test's point
  });

  it('given accounts keyed by a company property, when a task is synced, then the company is found by that property and the task associated with it', async () => {
    const ref = await crm({ companyIdProperty: 'cs_account_id' }).upsertTask({ ...redAlertCall, accountId: 'acc-1' });

    expect(hubspot.requests[1]!.method).toBe('GET');
    expect(hubspot.requests[1]!.path).toBe('/crm/v3/objects/companies/acc-1');
    expect(hubspot.requests[1]!.query.get('idProperty')).toBe('cs_account_id');
    expect(hubspot.associations).toEqual([{ from: `tasks:${ref.crmId}`, to: `companies:${COMPANY_ID}`, associationTypeId: 192 }]);
  });
});

describe('a risk as a deal in the retention pipeline', () => {
  const churnRisk: CrmRisk = {
    idempotencyKey: 'rsk-abcdef0123456789abcd',
    accountId: COMPANY_ID,
    kind: 'churn-risk',
    title: 'Churn risk — Salon Exemple',
    status: 'open',
    reason: 'detractor NPS',
    amountAtRisk: 24000,
  };

  it('given a churn risk, when it is synced, then HubSpot receives a deal upsert in the retention pipeline, associated with the company', async () => {
    const ref = await crm().upsertRisk(churnRisk);

    expect(hubspot.requests[0]!.path).toBe('/crm/v3/objects/deals/batch/upsert');
    expect(hubspot.requests[0]!.body).toEqual({
      inputs: [
        {
          idProperty: 'cs_playbooks_id',
          id: churnRisk.idempotencyKey,
          properties: {
            cs_playbooks_id: churnRisk.idempotencyKey,
            dealname: churnRisk.title,
            pipeline: RETENTION_PIPELINE,
            dealstage: 'risk-open',
            dealtype: 'existingbusiness',
            description: 'detractor NPS',
            amount: '24000',
          },
        },
      ],
    });
    expect(ref.created).toBe(true);
    expect(hubspot.associations).toEqual([{ from: `deals:${ref.crmId}`, to: `companies:${COMPANY_ID}`, associationTypeId: 341 }]);
  });

  it('given an open risk, when it is saved, then the same deal moves to the saved stage', async () => {
    const opened = await crm().upsertRisk(churnRisk);

    const saved = await crm().upsertRisk({ ...churnRisk, status: 'saved' });

    expect(saved).toEqual({ crmId: opened.crmId, created: false });
    expect(hubspot.objects('deals')).toHaveLength(1);
    expect(hubspot.objects('deals')[0]!.properties.dealstage).toBe('risk-saved');
  });

  it('given a misconfigured stage, when a risk is synced, then VendorRejected, and the message repeats none of the values HubSpot echoed', async () => {
    const error = (await crm({ riskStages: { ...STAGES, open: 'no-such-stage' } })
      .upsertRisk(churnRisk)
      .catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ name: 'VendorRejected', status: 400, code: 'VALIDATION_ERROR' });
    expect(error.message).toBe('hubspot deals/batch/upsert rejected the request: HTTP 400 VALIDATION_ERROR');
    expect(error.message).not.toContain('Salon Exemple');
  });
});

describe('company properties', () => {
  it('given a pre-churn lost with proof, when planExpiresOn is set, then HubSpot receives a PATCH of the company with that date', async () => {
    await crm().updateCompany({ idempotencyKey: 'acc-1:plan-expires:case-1', accountId: COMPANY_ID, planExpiresOn: '2026-11-12' });

    const [patch] = hubspot.requests;
    expect(patch!.method).toBe('PATCH');
    expect(patch!.path).toBe(`/crm/v3/objects/companies/${COMPANY_ID}`);
    expect(patch!.headers['content-type']).toBe('application/json');
    expect(patch!.body).toEqual({ properties: { cs_plan_expires_on: '2026-11-12' } });
  });

  it('given an open action plan, when surveys are suppressed and later lifted, then the company property follows, addressed by the account id property', async () => {
    const sync = crm({ companyIdProperty: 'cs_account_id' });

    await sync.updateCompany({ idempotencyKey: 'acc-1:nps-suppression:rsk-1:on', accountId: 'acc-1', npsSurveySuppressed: true });
    await sync.updateCompany({ idempotencyKey: 'acc-1:nps-suppression:rsk-1:off', accountId: 'acc-1', npsSurveySuppressed: false });

    expect(hubspot.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      'PATCH /crm/v3/objects/companies/acc-1?idProperty=cs_account_id',
      'PATCH /crm/v3/objects/companies/acc-1?idProperty=cs_account_id',
    ]);
    expect(hubspot.objects('companies')[0]!.properties.cs_nps_survey_suppressed).toBe('false');
  });

  it('given HubSpot answers 500, when a company is updated, then VendorUnavailable', async () => {
    hubspot.failNextRequests(1, { status: 500, body: { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' } });

    await expect(crm().updateCompany({ idempotencyKey: 'k', accountId: COMPANY_ID, npsSurveySuppressed: true })).rejects.toMatchObject({
      name: 'VendorUnavailable',
      status: 500,
    });
  });

  it('given an unknown company, when it is updated, then VendorRejected (404)', async () => {
    await expect(crm().updateCompany({ idempotencyKey: 'k', accountId: '404404', npsSurveySuppressed: true })).rejects.toMatchObject({
      name: 'VendorRejected',
      status: 404,
      code: 'OBJECT_NOT_FOUND',
    });
  });

  it('given nothing to change, when a company is updated, then HubSpot is not called', async () => {
    await crm().updateCompany({ idempotencyKey: 'k', accountId: COMPANY_ID });

    expect(hubspot.requests).toHaveLength(0);
  });
});
