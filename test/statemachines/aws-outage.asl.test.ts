import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { AwsServiceUnavailable } from '../../functions/adapters/aws-unavailable.ts';
import type { Report } from '../../sandbox/report/report.ts';
import type { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { acknowledgeAlert } from '../../functions/alerts/acknowledge-alert.ts';
import { parisAccount } from '../support/scenario.ts';

// An AWS outage during a burst: the table (or Lambda itself) answers nothing for ten minutes. Every
// playbook waits it out with its policy's retries (lib/failure-policies.ts) and ends as it would have:
// the same tasks, once each, nothing failed, nothing for ops. Real interpreter, functions and DynamoDB;
// virtual clock.

const BURST_AT = '2026-11-19T10:00:00+01:00';
const OUTAGE_MS = 10 * 60_000;

const accounts = ['acc-paris', 'acc-lyon', 'acc-lille'].map((id) => parisAccount({ id, name: `Salon ${id}`, salesId: 'sales-noa' }));
const burst = accounts.flatMap(({ id }, i) => [
  { at: BURST_AT, type: 'ChurnRiskCreated', detail: { eventId: `evt-risk-${i}`, accountId: id, kind: 'churn-risk', reason: 'Asked about the contract end date', createdAt: BURST_AT } },
  { at: BURST_AT, type: 'UpsellRequested', detail: { eventId: `evt-upsell-${i}`, accountId: id, at: BURST_AT, details: 'Add 2 collaborators' } },
  { at: BURST_AT, type: 'HardwareOrderRequested', detail: { eventId: `evt-hardware-${i}`, accountId: id, at: BURST_AT, details: '1 card reader' } },
]);

/** The burst simulated; with `outage`, every function call fails as DynamoDB down does, from the burst on for that long. */
async function runBurst(outageMs?: number): Promise<{ report: Report; refused: number }> {
  let sandbox: Sandbox | undefined;
  let refused = 0;
  const outageEnds = Date.parse(BURST_AT) + (outageMs ?? 0);
  const report = await simulate(parseScenario({ start: '2026-11-19T09:00:00+01:00', accounts, events: burst }), {
    onStart: (started) => (sandbox = started),
    intercept: (_id, _input, call) => {
      if (sandbox!.clock.now() >= outageEnds) return call();
      refused += 1;
      // What a function throws once the SDK's own retries are spent (see the last test).
      return Promise.reject(new AwsServiceUnavailable('DynamoDB.GetItem', 'ProvisionedThroughputExceededException'));
    },
  });
  return { report, refused };
}

const tasksOf = (report: Report) => report.tasks.map(({ id, kind, accountId, owner }) => ({ id, kind, accountId, owner })).sort((a, b) => a.id.localeCompare(b.id));

describe('given a burst of events while AWS is unavailable for ten minutes', () => {
  it('then every playbook waits it out: the same tasks as without the outage, once each, no execution failed and no manual follow-up', async () => {
    const calm = await runBurst();
    const { report, refused } = await runBurst(OUTAGE_MS);

    expect(refused).toBeGreaterThan(burst.length);
    expect(tasksOf(report)).toEqual(tasksOf(calm.report));
    expect(report.tasks.filter((task) => task.kind === 'manual-follow-up')).toEqual([]);
    expect(report.executions.filter((execution) => execution.status !== 'SUCCEEDED')).toEqual([]);
    // Nothing was done during the outage: every task is from after it.
    expect(Math.min(...report.tasks.map((task) => Date.parse(task.createdAt)))).toBeGreaterThanOrEqual(Date.parse(BURST_AT) + OUTAGE_MS);
  });
});

describe('given the DynamoDB client throttled past its own retries inside a function', () => {
  it('then the function rejects as AwsServiceUnavailable, the name the policies wait an outage out for; a refusal keeps its own name', async () => {
    const throttled = new ProvisionedThroughputExceededException({ $metadata: { httpStatusCode: 400 }, message: 'Rate of requests exceeds the allowed throughput' });
    const deps = { ledger: { getAccount: () => Promise.reject(throttled) } } as never;
    const rejected = await invoke(acknowledgeAlert, deps, { accountId: 'acc-paris', alertId: 'alr-1', handledBy: 'task tsk-1' }).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(AwsServiceUnavailable);
    expect((rejected as Error).cause).toBe(throttled);

    const refusal = Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    const kept = await invoke(acknowledgeAlert, { ledger: { getAccount: () => Promise.reject(refusal) } } as never, { accountId: 'acc-paris', alertId: 'alr-1', handledBy: 'task tsk-1' }).catch((error: unknown) => error);
    expect(kept).toBe(refusal);
  });
});
