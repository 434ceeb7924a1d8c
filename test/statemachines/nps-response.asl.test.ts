import { describe, expect, it } from 'vitest';
import { ContractError } from '../../functions/contracts/index.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { npsAnswer, parisAccount, run, withoutAlertReminder } from '../support/scenario.ts';
import { outage, Throttled } from '../support/faults.ts';

// The branches of statemachines/nps-response.asl.json that need a failing step: the ASL runs in
// the real interpreter with the real functions; only the named function is made to fail.
const MONDAY = '2026-11-16';

const scenario = (score: number) => ({
  start: `${MONDAY}T08:00:00+01:00`,
  accounts: [parisAccount()],
  events: [npsAnswer(`${MONDAY}T10:00:00+01:00`, score)],
});

describe('nps-response: Retry and Catch', () => {
  it('given the task store throttles twice, when a detractor answers, then the step is retried and the context review is created once', async () => {
    const report = await run(scenario(2), outage('create-task', 2));
    // Then the rest of the detractor's follow-up (the champion answered: the team lead's copy too), each once.
    expect(report.tasks.map((t) => t.kind)).toEqual(['detractor-context-review', 'detractor-context-review', 'detractor-call', 'detractor-plan-review']);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
  });

  it('given the risk step fails on every attempt, when a detractor answers, then after its retries the CSM gets a manual-follow-up task and the execution fails visibly', async () => {
    const calls = { count: 0 };
    const report = await run(scenario(2), outage('open-risk', Number.POSITIVE_INFINITY, calls));
    // One call and four retries (the ASL's MaxAttempts), never a silent end.
    expect(calls.count).toBe(5);
    expect(report.tasks).toEqual([
      expect.objectContaining({ kind: 'manual-follow-up', owner: 'csm-camille', dueAt: `${MONDAY}T18:00:00+01:00` }),
    ]);
    expect(report.risks).toEqual([]);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ status: 'FAILED' })]);
  });

  it('given an answer the contract refuses inside the playbook, then it is not retried and goes straight to a person', async () => {
    const calls = { count: 0 };
    const refuse: FunctionInterceptor = (id, _input, call) => {
      if (id !== 'record-nps-response') return call();
      calls.count += 1;
      return Promise.reject(new ContractError('record-nps-response input', ['detail.score: Too big: expected number to be <=10']));
    };
    const report = await run(scenario(4), refuse);
    expect(calls.count).toBe(1);
    expect(report.tasks.map((t) => t.kind)).toEqual(['manual-follow-up']);
  });

  it('given the risk step failed for good on the first delivery, when the vendor redelivers the answer, then the redelivery completes the work, once', async () => {
    const answer = npsAnswer(`${MONDAY}T10:00:00+01:00`, 2);
    let riskCalls = 0;
    // Down for the whole first execution (1 call + 4 retries), back for the redelivery.
    const riskDownAtFirst: FunctionInterceptor = (id, _input, call) => (id === 'open-risk' && ++riskCalls <= 5 ? Promise.reject(new Throttled('Rate exceeded')) : call());
    const report = await run(
      { start: `${MONDAY}T08:00:00+01:00`, accounts: [parisAccount()], events: [answer, { ...answer, at: `${MONDAY}T15:00:00+01:00` }] },
      riskDownAtFirst,
    );
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(report.risks).toHaveLength(1);
    expect(report.tasks.map((t) => t.kind).sort()).toEqual([
      'detractor-call',
      'detractor-context-review',
      'detractor-context-review', // the team lead's copy: the champion answered
      'detractor-plan-review',
      'manual-follow-up',
    ]);
  });

  it('given the same event failing in two executions (an at-least-once duplicate), then the CSM gets one manual follow-up, not two', async () => {
    const answer = npsAnswer(`${MONDAY}T10:00:00+01:00`, 2);
    const report = await run(
      { start: `${MONDAY}T08:00:00+01:00`, accounts: [parisAccount()], events: [answer, { ...answer, at: `${MONDAY}T10:00:01+01:00` }] },
      outage('open-risk', Number.POSITIVE_INFINITY),
    );
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['FAILED', 'FAILED']);
    expect(report.tasks.map((t) => t.kind)).toEqual(['manual-follow-up']);
  });

  it('given jittered retries, when the same scenario is simulated twice, then both reports are identical', async () => {
    const sameScenario = scenario(2);
    const first = await run(sameScenario, outage('create-task', 3));
    const second = await run(sameScenario, outage('create-task', 3));
    expect(second).toEqual(first);
    expect(first.executions[0]!.status).toBe('SUCCEEDED');
  });
});
