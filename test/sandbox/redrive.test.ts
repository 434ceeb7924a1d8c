import { describe, expect, it } from 'vitest';
import { AwsServiceUnavailable } from '../../functions/adapters/aws-unavailable.ts';
import { ContractError } from '../../functions/contracts/zod.ts';
import { MAX_AUTOMATIC_REDRIVES } from '../../functions/core/redrive/redrive-rule.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount, run, withoutAlertReminder } from '../support/scenario.ts';

// The sandbox's automatic redrive, as the stage's redrive function does it on AWS: an execution that
// failed because AWS was failing goes on from the state it failed in, not from its start. The churn-risk
// playbook, its first step refused for good (so the CSM gets a manual follow-up), and that follow-up
// unwritable while "DynamoDB" is down (the table's error as the SDK throws it, after its own retries).

const scenario = {
  start: '2026-11-12T08:00:00+01:00',
  accounts: [parisAccount()],
  events: [{ at: '2026-11-12T10:00:00+01:00', type: 'ChurnRiskCreated', detail: { eventId: 'evt-crm-1', accountId: 'acc-paris', kind: 'churn-risk', createdAt: '2026-11-12T10:00:00+01:00' } }],
};

/** Attempts of one execution of the follow-up Task: its first try and its 20 AWS-outage retries. */
const ATTEMPTS_PER_RUN = 21;

function outage(followUpFailures: number) {
  const calls = { openRisk: 0, followUp: 0 };
  const intercept: FunctionInterceptor = (action, input, call) => {
    if (action === 'open-risk') {
      calls.openRisk += 1;
      return Promise.reject(new ContractError('the risk', ['refused for this test']));
    }
    if (action === 'create-task' && (input as { kind?: string }).kind === 'manual-follow-up') {
      calls.followUp += 1;
      if (calls.followUp <= followUpFailures) return Promise.reject(new AwsServiceUnavailable('DynamoDB PutItem', 'InternalServerError'));
    }
    return call();
  };
  return { calls, intercept };
}

describe('given a manual follow-up that cannot be written while DynamoDB is down', () => {
  it('then the execution fails at the follow-up, is redriven from there (the step before is not run again), and the follow-up is written once the table answers', async () => {
    const { calls, intercept } = outage(ATTEMPTS_PER_RUN + 3);
    const report = await run(scenario, intercept);

    expect(calls).toEqual({ openRisk: 1, followUp: ATTEMPTS_PER_RUN + 4 });
    expect(report.tasks.map((task) => task.kind)).toEqual(['manual-follow-up']);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ playbook: 'churn-risk', status: 'FAILED', error: 'AutomationFailed', redriveCount: 1 })]);
  });

  it(`then, with the table down for hours, it is redriven ${MAX_AUTOMATIC_REDRIVES} times and stays failed with the table's error, for ops`, async () => {
    const { calls, intercept } = outage(Number.POSITIVE_INFINITY);
    const report = await run(scenario, intercept);

    expect(calls).toEqual({ openRisk: 1, followUp: ATTEMPTS_PER_RUN * (MAX_AUTOMATIC_REDRIVES + 1) });
    expect(report.tasks).toEqual([]);
    expect(withoutAlertReminder(report).executions).toEqual([
      expect.objectContaining({ playbook: 'churn-risk', status: 'FAILED', error: 'AwsServiceUnavailable', redriveCount: MAX_AUTOMATIC_REDRIVES }),
    ]);
  });

  it('then a follow-up that fails for another reason (a bug) is not redriven: it would fail the same way', async () => {
    const intercept: FunctionInterceptor = (action, input, call) => {
      if (action === 'open-risk') return Promise.reject(new ContractError('the risk', ['refused for this test']));
      if (action === 'create-task' && (input as { kind?: string }).kind === 'manual-follow-up') return Promise.reject(new ContractError('the task', ['a bug']));
      return call();
    };
    const report = await run(scenario, intercept);
    const [execution] = withoutAlertReminder(report).executions;
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ContractError' });
    expect(execution).not.toHaveProperty('redriveCount');
  });
});
