import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Dispatch } from '../../functions/adapters/dispatch/dispatch-queue.ts';
import { partitionOf } from '../../functions/adapters/table.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import { captureOutput } from '../support/aws/playbook-lambdas.ts';
import { useSlackStage } from '../support/aws/slack-stage.ts';
import { failureOf } from '../support/ledger-fixture.ts';

// The fault run, through the Lambda entries as AWS runs them: DynamoDB (dynalite behind each
// role's grant) answering 500 for ten minutes, then HubSpot (the local CRM v3) answering 503 for two
// hours, during a burst of steps. The steps fail while the table is down (Step Functions' AWS outage
// retrier waits that out: test/statemachines/aws-outage.asl.test.ts), then write the ledger and return
// without waiting for HubSpot; the dispatch drain, invoked as the table's stream and the minute's sweep
// invoke it, delivers each mirror exactly once HubSpot is back, or makes it a dead letter the alarm counts.

const sample = (type: string) => JSON.parse(readFileSync(new URL(`../../functions/contracts/samples/${type}.json`, import.meta.url), 'utf8')) as { data: Record<string, unknown> };
const ACCOUNT = sample('AccountUpdated').data;
const ACCOUNTS = ['acc-outage-1', 'acc-outage-2', 'acc-outage-3'];
const BURST_AT = new Date('2026-11-19T10:00:00+01:00').getTime();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SERVICE_UNAVAILABLE = { status: 503, body: { status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' } };

const stage = useSlackStage({
  name: 'cs-playbooks-outage-handlers-test',
  functions: ['upsert-account', 'create-task', 'open-risk', 'deliver-dispatches'],
  alertChannel: 'C0OUTAGEALERTS',
  financeChannel: 'C0OUTAGEFINANCE',
  hubspot: [...ACCOUNTS, 'acc-outage-4'].map((accountId, i) => ({ id: String(7001 + i), name: `Salon ${i}`, accountId })),
});
const output = captureOutput();

beforeAll(() => {
  // Only Date: the Lambdas read the wall clock, which the test moves; the SDK's retry timers stay real.
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterAll(() => {
  vi.useRealTimers();
});
beforeEach(() => output.start());
afterEach(() => {
  output.stop();
  // Each function stayed inside its role's grant, item types included (the table's outage is answered before any grant).
  expect(stage.dynamodb.calls.filter((call) => !call.allowed)).toEqual([]);
  stage.dynamodb.available();
  stage.hubspot.reset();
});

let round = 0;
const at = (ms: number) => vi.setSystemTime(new Date(ms));
/** The stream's batch for new dispatches (keys only, as the table's KEYS_ONLY stream gives them). */
const streamBatch = (sortKeys: { accountId: string; sk: string }[]) => ({
  Records: sortKeys.map(({ accountId, sk }) => ({ eventName: 'INSERT', dynamodb: { Keys: { pk: { S: partitionOf('DISPATCH', accountId) }, sk: { S: sk } } } })),
});
const sweep = () => stage.lambdas['deliver-dispatches']({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
/** The minute's sweep, from `from` to `to`. */
async function sweepEveryMinute(from: number, to: number): Promise<void> {
  for (let now = from; now <= to; now += MINUTE) {
    at(now);
    await sweep();
  }
}

/** The burst: for each account, its churn risk and its task, as their Task states call them (retried while the table is down). */
async function burst(accounts: readonly string[], startedAt: number) {
  const steps = accounts.flatMap((accountId) => [
    () => stage.lambdas['open-risk']({ accountId, kind: 'churn-risk', origin: 'crm', reason: `evt-risk-${round}-${accountId}` }) as Promise<{ riskId: string }>,
    () =>
      stage.lambdas['create-task']({ accountId, playbook: 'churn-risk', kind: 'churn-risk-info-and-meeting', ownerRole: 'csm', reason: `evt-risk-${round}-${accountId}`, due: { rule: 'today' } }) as Promise<{
        taskId: string;
      }>,
  ]);
  for (const accountId of accounts) await stage.lambdas['upsert-account']({ time: new Date().toISOString(), detail: { ...ACCOUNT, accountId, eventId: `evt-sync-${round}-${accountId}` } });
  // DynamoDB down: every step fails as the AWS outage the state machine's retrier waits out.
  stage.dynamodb.unavailable();
  for (const step of steps) expect(await failureOf(step)).toMatchObject({ name: 'AwsServiceUnavailable' });
  expect(await failureOf(sweep)).toMatchObject({ name: 'AwsServiceUnavailable' });
  // Ten minutes later the table is back, and the steps' retries go through, twice for some (a retry after a lost answer).
  at(startedAt + 10 * MINUTE);
  stage.dynamodb.available();
  const results = [];
  for (const step of steps) results.push(await step());
  for (const step of steps.slice(0, 2)) await step();
  const risks = results.filter((_, i) => i % 2 === 0) as { riskId: string }[];
  const tasks = results.filter((_, i) => i % 2 === 1) as { taskId: string }[];
  return { risks, tasks };
}

async function dispatchesOf(accountId: string): Promise<Dispatch[]> {
  return (await stage.ledger.scan<Dispatch>('dispatch')).filter((dispatch) => dispatch.accountId === accountId);
}

function metric(name: string): number {
  return output.records
    .filter((record) => (record._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined)?.CloudWatchMetrics?.some((m) => m.Metrics.some((entry) => entry.Name === name)))
    // Powertools puts a metric added twice in one invocation as an array of values.
    .reduce((sum, record) => sum + [record[name]].flat().reduce<number>((total, value) => total + Number(value), 0), 0);
}

describe('the handlers through a ten-minute DynamoDB outage and a two-hour HubSpot outage', () => {
  it('then every task and risk is in the ledger once the table is back, and each reaches HubSpot exactly once after it is', async () => {
    round += 1;
    at(BURST_AT);
    stage.hubspot.failNextRequests(100_000, SERVICE_UNAVAILABLE);
    const { tasks } = await burst(ACCOUNTS, BURST_AT);

    // The table's stream hands the drain the new dispatches: HubSpot refuses, each is planned again.
    const dispatches = (await Promise.all(ACCOUNTS.map(dispatchesOf))).flat();
    expect(dispatches.map((d) => d.call.method).sort()).toEqual([...Array(3).fill('upsertRisk'), ...Array(3).fill('upsertTask')]);
    await stage.lambdas['deliver-dispatches'](streamBatch(dispatches.map((d) => ({ accountId: d.accountId, sk: `DISPATCH#${d.id}` }))));
    await sweepEveryMinute(BURST_AT + 11 * MINUTE, BURST_AT + 2 * HOUR + 10 * MINUTE);
    expect(stage.hubspot.objects('tasks')).toEqual([]);

    // HubSpot is back: within the next half hour's sweeps, each goes out once.
    stage.hubspot.reset();
    await sweepEveryMinute(BURST_AT + 2 * HOUR + 11 * MINUTE, BURST_AT + 2 * HOUR + 45 * MINUTE);

    const ledgerTasks = (await stage.ledger.scan<Task>('task')).filter((task) => tasks.some((t) => t.taskId === task.id));
    expect(ledgerTasks).toHaveLength(3);
    const mirrored = stage.hubspot.objects('tasks');
    expect(mirrored.map((task) => task.properties.cs_playbooks_id).sort()).toEqual(tasks.map((t) => t.taskId).sort());
    expect(ledgerTasks.map((task) => task.crmId).sort()).toEqual(mirrored.map((task) => task.id).sort());
    expect(stage.hubspot.objects('deals')).toHaveLength(3);
    // Exactly once: one successful upsert request per task and per deal after HubSpot came back.
    const upserts = (path: string) => stage.hubspot.requests.filter((request) => request.path === path).flatMap((request) => (request.body as { inputs: { id: string }[] }).inputs.map((input) => input.id));
    expect(upserts('/crm/v3/objects/tasks/batch/upsert').sort()).toEqual(tasks.map((t) => t.taskId).sort());
    expect(upserts('/crm/v3/objects/deals/batch/upsert')).toHaveLength(3);
    const after = (await Promise.all(ACCOUNTS.map(dispatchesOf))).flat();
    expect(after.map((d) => d.deliveredAt !== undefined && d.dispatchQueue === undefined)).toEqual(after.map(() => true));
    expect(metric('DispatchDeadLetter')).toBe(0);
    expect(metric('DispatchDeliveredLate')).toBe(6);
  });

  it('then, with HubSpot down for more than a day, each mirror is a dead letter the DispatchDeadLetter alarm counts, and the ledger keeps every task', async () => {
    round += 1;
    const accounts = ['acc-outage-4'];
    const start = BURST_AT + 3 * 24 * HOUR;
    at(start);
    stage.hubspot.failNextRequests(100_000, SERVICE_UNAVAILABLE);
    const { tasks } = await burst(accounts, start);
    const afterBurst = start + 10 * MINUTE;
    // A sweep a minute for the first hour (the early retries), then every half hour (the later ones are 30 minutes apart).
    await sweepEveryMinute(afterBurst + MINUTE, afterBurst + HOUR);
    for (let now = afterBurst + HOUR; now <= afterBurst + 25 * HOUR; now += 30 * MINUTE) {
      at(now);
      await sweep();
    }

    const dead = (await dispatchesOf('acc-outage-4')).filter((d) => d.dispatchQueue === 'dead');
    expect(dead.map((d) => [d.call.method, d.deadReason]).sort()).toEqual([
      ['upsertRisk', 'window-closed'],
      ['upsertTask', 'window-closed'],
    ]);
    expect(metric('DispatchDeadLetter')).toBe(2);
    expect((await stage.ledger.scan<Task>('task')).filter((task) => task.id === tasks[0]!.taskId)).toHaveLength(1);
  });
});
