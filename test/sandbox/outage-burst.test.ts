import { InternalServerError } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../sandbox/report/report.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import type { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from '../support/scenario.ts';
import { RETENTION_PORTAL, startRetentionHubSpot, type LocalHubSpot } from '../support/vendors/hubspot.ts';

// The fault run, in the sandbox: a burst of events while DynamoDB answers nothing for ten
// minutes and HubSpot answers 503 for two hours. Every event must end in its task (mirrored to the CRM
// once it is back) or its resolution, or in a visible dead letter; nothing lost, nothing twice. Real
// interpreter, functions, DynamoDB API (dynalite), a local HubSpot implementing the CRM v3 endpoints;
// the virtual clock.

const BURST_AT = '2026-11-19T10:00:00+01:00';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const accounts = ['acc-paris', 'acc-lyon', 'acc-lille'].map((id) => parisAccount({ id, name: `Salon ${id}`, salesId: 'sales-noa' }));
const burst = accounts.flatMap(({ id }, i) => [
  { at: BURST_AT, type: 'ChurnRiskCreated', detail: { eventId: `evt-risk-${i}`, accountId: id, kind: 'churn-risk', reason: 'Asked about the contract end date', createdAt: BURST_AT } },
  { at: BURST_AT, type: 'UpsellRequested', detail: { eventId: `evt-upsell-${i}`, accountId: id, at: BURST_AT, details: 'Add 2 collaborators' } },
  { at: BURST_AT, type: 'HardwareOrderRequested', detail: { eventId: `evt-hardware-${i}`, accountId: id, at: BURST_AT, details: '1 card reader' } },
  { at: BURST_AT, type: 'TouchpointLogged', detail: { eventId: `evt-call-${i}`, accountId: id, channel: 'call', at: BURST_AT } },
]);

let hubspot: LocalHubSpot;
beforeEach(async () => {
  hubspot = await startRetentionHubSpot(accounts.map((account, i) => ({ id: String(9001 + i), name: account.name, accountId: account.id })));
});
afterEach(async () => {
  expect(hubspot.refusals).toEqual([]);
  await hubspot.close();
});

interface Faults {
  tableDownMs: number;
  crmDownMs: number;
}

/** The burst, simulated to its end, with the table and the CRM down from the burst on for as long as said. */
async function runBurst({ tableDownMs, crmDownMs }: Faults): Promise<{ report: Report; tableRefusals: number; crmRefusals: number }> {
  let sandbox: Sandbox | undefined;
  let tableRefusals = 0;
  let crmRefusals = 0;
  const burstAt = Date.parse(BURST_AT);
  const report = await simulate(parseScenario({ start: '2026-11-19T09:00:00+01:00', accounts, events: burst, until: '2026-11-21T09:00:00+01:00' }), {
    onStart: (started) => (sandbox = started),
    // What the DynamoDB client throws once its own retries are spent on a 500 (every caller: the steps and the dispatch drain).
    tableFault: () => {
      const now = sandbox?.clock.now() ?? 0;
      if (now < burstAt || now >= burstAt + tableDownMs) return undefined;
      tableRefusals += 1;
      return new InternalServerError({ $metadata: { httpStatusCode: 500 }, message: 'Internal server error' });
    },
    // HubSpot's answer while it is down: the fetch reaches it, and it answers 503.
    fetch: (input, init) => {
      const now = sandbox?.clock.now() ?? 0;
      if (now >= burstAt && now < burstAt + crmDownMs) {
        crmRefusals += 1;
        return Promise.resolve(new Response(JSON.stringify({ status: 'error', category: 'SERVICE_UNAVAILABLE', message: 'Service unavailable' }), { status: 503, headers: { 'content-type': 'application/json' } }));
      }
      return fetch(input, init);
    },
    vendorEnvironment: {
      HUBSPOT_ACCESS_TOKEN: RETENTION_PORTAL.accessToken,
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_COMPANY_ID_PROPERTY: 'cs_account_id',
      HUBSPOT_RISK_PIPELINE: RETENTION_PORTAL.pipeline,
      HUBSPOT_RISK_STAGE_OPEN: RETENTION_PORTAL.stages.open,
      HUBSPOT_RISK_STAGE_SAVED: RETENTION_PORTAL.stages.saved,
      HUBSPOT_RISK_STAGE_LOST: RETENTION_PORTAL.stages.lost,
    },
  });
  return { report, tableRefusals, crmRefusals };
}

/**
 * Executions that neither succeeded nor wait as they should: the touchpoints' 91-day checks (no-contact)
 * stay live, waiting for their next look, which is their resolution for now.
 */
const unfinished = (report: Report) =>
  report.executions.filter((execution) => execution.status !== 'SUCCEEDED' && !(execution.playbook === 'no-contact' && execution.status === 'RUNNING' && execution.waiting?.state === 'WaitForWakeUp'));

const tasksOf = (report: Report) => report.tasks.map(({ id, kind, accountId, owner }) => ({ id, kind, accountId, owner })).sort((a, b) => a.id.localeCompare(b.id));

describe('given a burst of events while DynamoDB is unavailable for ten minutes and HubSpot for two hours', () => {
  it('then every event ends in its task or its resolution, each task and risk reaches HubSpot exactly once after it is back, nothing failed and nothing is dead', async () => {
    const calm = await runBurst({ tableDownMs: 0, crmDownMs: 0 });
    hubspot.reset();
    const calmObjects = { tasks: hubspot.objects('tasks').length, deals: hubspot.objects('deals').length };
    await hubspot.close();
    hubspot = await startRetentionHubSpot(accounts.map((account, i) => ({ id: String(9001 + i), name: account.name, accountId: account.id })));

    const { report, tableRefusals, crmRefusals } = await runBurst({ tableDownMs: 10 * MINUTE, crmDownMs: 2 * HOUR });

    // Both outages happened, and were long: many table calls refused, HubSpot refused for two hours of retries.
    expect(tableRefusals).toBeGreaterThan(burst.length);
    expect(crmRefusals).toBeGreaterThan(10);
    // Every event ended as without the outages: the same tasks (one per reason: nothing twice), no
    // manual follow-up, every execution ended well, the touchpoints filed.
    expect(tasksOf(report)).toEqual(tasksOf(calm.report));
    expect(report.tasks.filter((task) => task.kind === 'manual-follow-up')).toEqual([]);
    expect(unfinished(report)).toEqual([]);
    expect(report.risks.map((risk) => risk.accountId).sort()).toEqual(accounts.map((account) => account.id).sort());
    // Mirrored once the CRM was back: as many HubSpot objects as without the outage, each ledger item
    // marked with its own, and nothing waiting or dead.
    expect({ tasks: hubspot.objects('tasks').length, deals: hubspot.objects('deals').length }).toEqual(calmObjects);
    expect(new Set(hubspot.objects('tasks').map((task) => task.properties.cs_playbooks_id))).toEqual(new Set(report.tasks.map((task) => task.id)));
    expect(report.deadLetters).toEqual([]);
    expect(report.dispatchesDue).toBe(0);
    // Sent once each once HubSpot answered: every task's upsert reached it exactly once (nothing twice).
    const upserted = hubspot.requests
      .filter((request) => request.path === '/crm/v3/objects/tasks/batch/upsert')
      .flatMap((request) => (request.body as { inputs: { id: string }[] }).inputs.map((input) => input.id));
    expect(upserted.sort()).toEqual(report.tasks.map((task) => task.id).sort());
  });

  it('then, with HubSpot down for more than a day, every mirror is a visible dead letter (the ledger keeps the tasks, the report lists each), and still nothing is lost', async () => {
    const { report } = await runBurst({ tableDownMs: 10 * MINUTE, crmDownMs: 30 * HOUR });

    expect(unfinished(report)).toEqual([]);
    expect(hubspot.objects('tasks')).toEqual([]);
    // One dead letter per task and per risk, named by its call, with HubSpot's answer; no follow-up task (the CRM is what fails).
    const mirrors = report.deadLetters.map((letter) => letter.call);
    expect(mirrors.filter((call) => call === 'crm.upsertTask')).toHaveLength(report.tasks.length);
    expect(mirrors.filter((call) => call === 'crm.upsertRisk')).toHaveLength(report.risks.length);
    for (const letter of report.deadLetters) expect(letter).toMatchObject({ reason: 'window-closed', lastError: expect.stringMatching(/^VendorUnavailable: hubspot .*HTTP 503/) });
    expect(report.tasks.filter((task) => task.kind === 'manual-follow-up')).toEqual([]);
  });
});

describe('given a burst of events while DynamoDB is unavailable for three hours, past every retry', () => {
  it('then each step that could not run becomes a manual follow-up once the table is back: the executions that could not even write it are redriven automatically, and none stays failed for want of its follow-up', async () => {
    const { report } = await runBurst({ tableDownMs: 3 * HOUR, crmDownMs: 0 });

    // The follow-ups could not be written during the outage: their executions failed there, and were
    // redriven (automatically, as the stage's redrive function does) until the table answered.
    const redriven = report.executions.filter((execution) => (execution.redriveCount ?? 0) > 0);
    expect(redriven.length).toBeGreaterThan(0);
    for (const execution of redriven) expect(execution.redriveCount).toBeLessThanOrEqual(5);
    // What stayed failed did so with its follow-up written (AutomationFailed: the CSM has the task), never
    // with the table's error: nothing lost.
    const failed = report.executions.filter((execution) => execution.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((execution) => execution.error))).toEqual(new Set(['AutomationFailed']));
    expect(unfinished(report).filter((execution) => execution.status !== 'FAILED')).toEqual([]);
    // A manual follow-up per execution that ended in AutomationFailed, and per side step that could not run
    // in those that went on (the alert posts of the upsell and hardware requests): one each, however many
    // attempts and redrives it took.
    const followUps = report.tasks.filter((task) => task.kind === 'manual-follow-up');
    const wentOn = report.executions.filter((execution) => execution.status === 'SUCCEEDED' && (execution.redriveCount ?? 0) > 0);
    expect(followUps.length).toBe(failed.length + wentOn.length);
    expect(new Set(followUps.map((task) => task.id)).size).toBe(followUps.length);
    // Where a redrive goes on from, and that it runs the failed state's retries afresh: test/sandbox/redrive.test.ts.
  });
});
