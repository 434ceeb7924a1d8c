import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { parisAccount } from '../support/scenario.ts';
import { RETENTION_PORTAL, startRetentionHubSpot, type LocalHubSpot } from '../support/vendors/hubspot.ts';
import { hubspotSignatureHeaders } from '../support/vendors/hubspot-webhooks.ts';
import { until } from '../support/eventually.ts';

// `npm start` with HubSpot configured, end to end: a playbook's task goes to (local) HubSpot through
// the CRM adapter; the owner completes it there; HubSpot's signed webhook names the task only; the
// ingest reads it with the sandbox's HUBSPOT_ACCESS_TOKEN and HUBSPOT_API_URL, as the Lambda does,
// and the task-completed playbook closes the ledger's task.

const CLIENT_SECRET = 'hubspot-app-client-secret-e2e';
const COMPANY_ID = '8437563';

let hubspot: LocalHubSpot;
let sandbox: Sandbox;
let server: SandboxServer;

beforeAll(async () => {
  hubspot = await startRetentionHubSpot({ id: COMPANY_ID, name: 'Salon Lumière', accountId: COMPANY_ID });
  sandbox = await Sandbox.start({
    clock: wallClock,
    settings: resolveSettings(),
    vendorEnvironment: {
      HUBSPOT_ACCESS_TOKEN: RETENTION_PORTAL.accessToken,
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_RISK_PIPELINE: RETENTION_PORTAL.pipeline,
      HUBSPOT_RISK_STAGE_OPEN: RETENTION_PORTAL.stages.open,
      HUBSPOT_RISK_STAGE_SAVED: RETENTION_PORTAL.stages.saved,
      HUBSPOT_RISK_STAGE_LOST: RETENTION_PORTAL.stages.lost,
    },
  });
  server = await startServer(sandbox, { port: 0, secrets: (vendor) => (vendor === 'hubspot' ? [CLIENT_SECRET] : []) });
  await sandbox.importAccounts([parisAccount({ id: COMPANY_ID })]);
});

afterAll(async () => {
  await server?.close();
  await sandbox?.stop();
  await hubspot?.close();
});

describe('given the sandbox mirrors its tasks to HubSpot', () => {
  it("when the owner completes the playbook's task in HubSpot, then HubSpot's webhook closes the ledger task, once", async () => {
    const receivedAt = new Date().toISOString();
    sandbox.publish({
      type: 'ClientFeedbackReceived',
      timestamp: receivedAt,
      data: { eventId: 'evt-feedback-e2e', accountId: COMPANY_ID, contactId: 'ct-champion', channel: 'email', kind: 'dissatisfaction', messageId: 'msg-e2e', receivedAt },
    });
    const crmTask = await until(() => hubspot.objects('tasks')[0]);
    const ledgerTaskId = crmTask.properties.cs_playbooks_id!;
    expect((await sandbox.ledger.getTask(COMPANY_ID, ledgerTaskId))?.status).not.toBe('completed');

    hubspot.setProperties('tasks', crmTask.id, { hs_task_status: 'COMPLETED' });
    const occurredAt = Date.now();
    const body = JSON.stringify([
      {
        eventId: 4120339001,
        subscriptionId: 2847570,
        portalId: 62515,
        appId: 54321,
        occurredAt,
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-27',
        attemptNumber: 0,
        objectId: Number(crmTask.id),
        propertyName: 'hs_task_status',
        propertyValue: 'COMPLETED',
        changeSource: 'CRM_UI',
      },
    ]);
    const url = `${server.url}/webhooks/hubspot`;
    const response = await fetch(url, { method: 'POST', headers: hubspotSignatureHeaders({ clientSecret: CLIENT_SECRET, url, body }), body });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: true, eventId: expect.stringMatching(/^hubspot:\d+:\d+:4120339001:/), type: 'TaskCompleted' });

    const completed = await until(async () => {
      const task = await sandbox.ledger.getTask(COMPANY_ID, ledgerTaskId);
      return task?.status === 'completed' ? task : undefined;
    });
    expect(completed).toMatchObject({ id: ledgerTaskId, status: 'completed' });
    const runs = () => sandbox.executions.filter((execution) => execution.playbook === 'task-completed');
    await until(() => runs().length === 1 && runs()[0]!.status !== 'RUNNING');
    expect(runs()[0]!.status).toBe('SUCCEEDED');

    // HubSpot's retry of the same batch: accepted, nothing published again.
    const retry = body.replace('"attemptNumber":0', '"attemptNumber":1');
    const again = await fetch(url, { method: 'POST', headers: hubspotSignatureHeaders({ clientSecret: CLIENT_SECRET, url, body: retry }), body: retry });
    expect(again.status).toBe(202);
    await sandbox.settled();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs()).toHaveLength(1);
  });
});
