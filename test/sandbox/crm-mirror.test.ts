import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DispatchQueue } from '../../functions/adapters/dispatch/dispatch-queue.ts';
import type { RiskRecord } from '../../functions/adapters/ledger.ts';
import { DetailSchemas, resolveSettings } from '../../functions/contracts/index.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from '../support/scenario.ts';
import { RETENTION_PORTAL, startRetentionHubSpot, type LocalHubSpot } from '../support/vendors/hubspot.ts';

// The ledger is written first and the CRM mirrors it: the churn-risk playbook against a local HubSpot
// (test/support/vendors/hubspot.ts: the documented CRM v3 upserts, with HubSpot's dedup), in the
// sandbox, on the virtual clock, with the real Retry and Catch of the ASL.

const TOKEN = RETENTION_PORTAL.accessToken;
const COMPANY = '9001';
const STAGES = RETENTION_PORTAL.stages;
const SERVICE_UNAVAILABLE = { status: 503, body: { status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' } };

let hubspot: LocalHubSpot;
let sandbox: Sandbox | undefined;

beforeEach(async () => {
  hubspot = await startRetentionHubSpot({ id: COMPANY, name: 'Salon Test Paris', accountId: 'acc-paris' });
});

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
  await hubspot.close();
});

/** A sandbox whose CRM port is HubSpot (the local one), as a stage with HubSpot configured. */
async function sandboxWithHubSpot(): Promise<{ sandbox: Sandbox; clock: VirtualClock }> {
  const clock = new VirtualClock(Date.parse('2026-11-12T08:00:00+01:00'));
  const started = await Sandbox.start({
    clock,
    settings: resolveSettings(),
    deterministicIds: true,
    vendorEnvironment: {
      HUBSPOT_ACCESS_TOKEN: TOKEN,
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_COMPANY_ID_PROPERTY: 'cs_account_id',
      HUBSPOT_RISK_PIPELINE: 'retention',
      HUBSPOT_RISK_STAGE_OPEN: STAGES.open,
      HUBSPOT_RISK_STAGE_SAVED: STAGES.saved,
      HUBSPOT_RISK_STAGE_LOST: STAGES.lost,
    },
  });
  await started.importAccounts([parisAccount()]);
  sandbox = started;
  return { sandbox: started, clock };
}

/** Deliver the CRM's ChurnRiskCreated, then run the clock until every execution has ended. */
async function deliverChurnRisk({ sandbox, clock }: { sandbox: Sandbox; clock: VirtualClock }): Promise<void> {
  publishChurnRisk(sandbox, clock);
  do await sandbox.settled();
  while (sandbox.runningExecutions() > 0 && clock.runNext());
}

/** The CRM's ChurnRiskCreated, as its webhook puts it on the bus: the clock does not move. */
function publishChurnRisk(sandbox: Sandbox, clock: VirtualClock): void {
  const detail = DetailSchemas.ChurnRiskCreated.parse({
    eventId: 'evt-crm-1',
    accountId: 'acc-paris',
    kind: 'churn-risk',
    reason: 'Asked about the contract end date',
    createdAt: '2026-11-12T09:00:00+01:00',
  });
  sandbox.publish({ type: 'ChurnRiskCreated', timestamp: new Date(clock.now()).toISOString(), data: detail });
}

const HOUR = 3_600_000;

/** Fire the clock's timers (the dispatches' retries, the playbooks' waits) up to `until`, the sandbox settling after each. */
async function runClockUntil({ sandbox, clock }: { sandbox: Sandbox; clock: VirtualClock }, until: number): Promise<void> {
  await sandbox.settled();
  for (let next = clock.nextWakeUp(); next !== undefined && next <= until; next = clock.nextWakeUp()) {
    clock.runNext();
    await sandbox.settled();
  }
  clock.advanceTo(until);
}

// The alert-reminder executions the same event starts are test/sandbox/alert-reminder.test.ts's.
const churnRiskExecutions = (running: { sandbox: Sandbox }) => running.sandbox.executions.filter((e) => e.playbook === 'churn-risk');

const stored = async () => ({
  tasks: (await sandbox!.ledger.scan<Task>('task')).map((t) => ({ kind: t.kind, crmId: t.crmId })),
  risks: (await sandbox!.ledger.scan<RiskRecord>('risk')).map((r) => ({ kind: r.kind, crmId: r.crmId })),
});

describe('the CRM mirrors the ledger', () => {
  it('given HubSpot answers 503 to the next three requests, when a churn risk arrives, then the deal and the task reach HubSpot once each, after the retries', async () => {
    const running = await sandboxWithHubSpot();
    hubspot.failNextRequests(3, SERVICE_UNAVAILABLE);

    await deliverChurnRisk(running);

    const [deal] = hubspot.objects('deals');
    const [task] = hubspot.objects('tasks');
    expect(hubspot.objects('deals')).toHaveLength(1);
    expect(hubspot.objects('tasks')).toHaveLength(1);
    expect(deal!.properties).toMatchObject({ dealstage: STAGES.open, pipeline: 'retention', amount: '10800' });
    expect(task!.properties).toMatchObject({ hs_task_subject: expect.stringContaining('Salon Test Paris') });
    expect(hubspot.associations.map((a) => a.to)).toEqual([`companies:${COMPANY}`, `companies:${COMPANY}`]);
    expect(await stored()).toEqual({ tasks: [{ kind: 'churn-risk-info-and-meeting', crmId: task!.id }], risks: [{ kind: 'churn-risk', crmId: deal!.id }] });
    expect(churnRiskExecutions(running).map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given HubSpot created the deal but its answer was lost, when the step is retried, then HubSpot still has one deal (upsert on the ledger id)', async () => {
    const running = await sandboxWithHubSpot();
    // The first request is the deal's upsert: HubSpot applies it, and the connection drops before the answer.
    hubspot.dropNextResponses(1);

    await deliverChurnRisk(running);

    const dealUpserts = hubspot.requests.filter((request) => request.path === '/crm/v3/objects/deals/batch/upsert');
    expect(dealUpserts.length).toBeGreaterThanOrEqual(2);
    expect(hubspot.objects('deals')).toHaveLength(1);
    expect((await stored()).risks).toEqual([{ kind: 'churn-risk', crmId: hubspot.objects('deals')[0]!.id }]);
    expect(churnRiskExecutions(running).map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given HubSpot down for two hours, then the run ends at once with its risk and task in the ledger, and each reaches HubSpot exactly once when it is back', async () => {
    const running = await sandboxWithHubSpot();
    hubspot.failNextRequests(100_000, SERVICE_UNAVAILABLE);
    const downAt = running.clock.now();

    publishChurnRisk(running.sandbox, running.clock);
    await runClockUntil(running, downAt + 60_000);

    // The playbook never waited for the CRM: done, with the risk and the task in the ledger, unmirrored.
    expect(churnRiskExecutions(running).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(await stored()).toEqual({ tasks: [{ kind: 'churn-risk-info-and-meeting', crmId: undefined }], risks: [{ kind: 'churn-risk', crmId: undefined }] });

    // Two hours of the dispatches' retries (1, 2, 4… then every 30 minutes), every one refused.
    await runClockUntil(running, downAt + 2 * HOUR);
    const attemptsWhileDown = hubspot.requests.length;
    expect(attemptsWhileDown).toBeGreaterThan(2 * 6);
    expect(hubspot.objects('deals')).toEqual([]);

    hubspot.reset();
    await runClockUntil(running, downAt + 3 * HOUR);

    expect(hubspot.objects('deals')).toHaveLength(1);
    expect(hubspot.objects('tasks').map((t) => t.properties.hs_task_subject)).toEqual([expect.stringContaining('Salon Test Paris')]);
    expect(await stored()).toEqual({
      tasks: [{ kind: 'churn-risk-info-and-meeting', crmId: hubspot.objects('tasks')[0]!.id }],
      risks: [{ kind: 'churn-risk', crmId: hubspot.objects('deals')[0]!.id }],
    });
    expect(await new DispatchQueue(running.sandbox.ledger).deadLetters()).toEqual([]);
  });

  it('given HubSpot down for more than a day, then each mirror becomes a dead letter the ledger keeps (no follow-up task: the CRM is what fails), and re-queued once it is back, each reaches HubSpot once', async () => {
    const running = await sandboxWithHubSpot();
    hubspot.failNextRequests(100_000, SERVICE_UNAVAILABLE);
    const downAt = running.clock.now();

    publishChurnRisk(running.sandbox, running.clock);
    await runClockUntil(running, downAt + 26 * HOUR);

    const queue = new DispatchQueue(running.sandbox.ledger);
    const dead = await queue.deadLetters();
    expect(dead.map((d) => [d.call.method, d.deadReason, d.lastError]).sort()).toEqual([
      ['upsertRisk', 'window-closed', expect.stringMatching(/^VendorUnavailable: hubspot .* HTTP 503/)],
      ['upsertTask', 'window-closed', expect.stringMatching(/^VendorUnavailable: hubspot .* HTTP 503/)],
    ]);
    expect((await stored()).tasks.map((t) => t.kind)).toEqual(['churn-risk-info-and-meeting']);

    hubspot.reset();
    for (const letter of dead) expect(await queue.requeue(letter.accountId, letter.id, new Date(running.clock.now()))).toBe(true);
    running.sandbox.deliverDispatches();
    await running.sandbox.settled();

    expect(hubspot.objects('deals')).toHaveLength(1);
    expect(hubspot.objects('tasks')).toHaveLength(1);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('given a churn risk mirrored to HubSpot, when the CRM redelivers the event, then HubSpot receives nothing new (the ledger says it is mirrored)', async () => {
    const running = await sandboxWithHubSpot();
    await deliverChurnRisk(running);
    const requests = hubspot.requests.length;

    await deliverChurnRisk(running);

    expect(hubspot.requests.length).toBe(requests);
    expect(hubspot.objects('tasks')).toHaveLength(1);
  });
});
