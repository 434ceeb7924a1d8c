import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_ACTION_PLAN_REVIEW_DAYS, resolveSettings } from '../../functions/contracts/index.ts';
import type { FunctionId } from '../../lib/catalog.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { npsAnswer, parisAccount, run } from '../support/scenario.ts';

// The follow-up branches of statemachines/nps-response.asl.json (detractor waits, promoter store
// call): their Retry and Catch, and the execution's time bound.
const THURSDAY = '2026-11-12';
const DAY_SECONDS = 86_400;
const definition = JSON.parse(readFileSync('statemachines/nps-response.asl.json', 'utf8')) as {
  TimeoutSeconds: number;
  States: Record<string, { Type: string; TimeoutSeconds?: number; Retry?: { ErrorEquals: string[]; JitterStrategy?: string }[]; Catch?: { Next: string }[] }>;
};

class Throttled extends Error {
  override readonly name = 'ThrottlingException';
}

function outage(functionId: FunctionId, times: number, calls = { count: 0 }): FunctionInterceptor {
  return (id, _input, call) => {
    if (id !== functionId) return call();
    calls.count += 1;
    return calls.count <= times ? Promise.reject(new Throttled('Rate exceeded')) : call();
  };
}

const userAccount = () => parisAccount({ contacts: [...parisAccount().contacts, { id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' }] });
const detractor = () => ({ start: `${THURSDAY}T08:00:00+01:00`, accounts: [userAccount()], events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 3, { contactId: 'ct-user' })] });

describe('nps-response: the conventions hold on every Task state', () => {
  const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

  it.each(tasks)('given the Task state %s, then it has a 60-second timeout, jittered retries on any error, and a Catch to a visible outcome', (name, state) => {
    expect(state.TimeoutSeconds).toBe(60);
    expect(state.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL' })]));
    expect(state.Catch?.map((c) => c.Next)).toEqual([name === 'CreateManualFollowUp' ? 'ManualFollowUpFailed' : 'CreateManualFollowUp']);
  });

  it('given the longest plan review the settings allow, then the execution timeout covers it (plus a weekend, holidays and retries) and stays under the one-year Standard limit', () => {
    expect(definition.TimeoutSeconds).toBeGreaterThanOrEqual((MAX_ACTION_PLAN_REVIEW_DAYS + 10) * DAY_SECONDS);
    expect(definition.TimeoutSeconds).toBeLessThan(365 * DAY_SECONDS);
  });

  it('given a plan review longer than the timeout covers, then the settings are refused naming nps.actionPlanReviewDays', () => {
    expect(() => resolveSettings({ nps: { actionPlanReviewDays: MAX_ACTION_PLAN_REVIEW_DAYS + 1 } })).toThrow(/nps\.actionPlanReviewDays/);
    expect(() => resolveSettings({ nps: { detractorCoolDown: 31 } })).toThrow(/nps\.detractorCoolDown/);
  });
});

describe('nps-response: Retry and Catch on the follow-up steps', () => {
  it('given the context read throttles twice, when a detractor answers, then it is retried and the context review is created once, with its 360° details', async () => {
    const inputs: { kind: string; details?: string }[] = [];
    const throttled = outage('gather-detractor-context', 2);
    const record: FunctionInterceptor = (id, input, call) => {
      if (id === 'create-task') inputs.push(input as { kind: string; details?: string });
      return throttled(id, input, call);
    };
    const report = await run(detractor(), record);

    expect(report.tasks.map((t) => t.kind)).toEqual(['detractor-context-review', 'detractor-call', 'detractor-plan-review']);
    expect(inputs.find((input) => input.kind === 'detractor-context-review')?.details).toContain('Respondent: Sam User, user; not the champion (the champion is Alex Champion)');
    expect(inputs.find((input) => input.kind === 'detractor-call')?.details).toMatch(/^Call Sam User \(user\)/);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the touchpoint read fails on every attempt after the cool-down, then the CSM gets a manual follow-up on Monday, no call task, and the execution fails visibly', async () => {
    const calls = { count: 0 };
    const report = await run(detractor(), outage('find-touchpoint', Number.POSITIVE_INFINITY, calls));

    expect(calls.count).toBe(5);
    expect(report.tasks.map((t) => [t.kind, t.owner, t.dueAt])).toEqual([
      ['detractor-context-review', 'csm-camille', `${THURSDAY}T18:00:00+01:00`],
      ['manual-follow-up', 'csm-camille', '2026-11-16T18:00:00+01:00'],
    ]);
    expect(report.executions).toEqual([expect.objectContaining({ status: 'FAILED', error: 'AutomationFailed' })]);
  });

  it('given the survey suppression fails for good, then the context review exists and a manual follow-up says which step failed', async () => {
    const report = await run(detractor(), outage('suppress-nps-surveys', Number.POSITIVE_INFINITY));

    expect(report.tasks.map((t) => t.kind)).toEqual(['detractor-context-review', 'manual-follow-up']);
    expect(report.executions.map((e) => e.status)).toEqual(['FAILED']);
  });

  it('given the store-call check fails for good, when a promoter answers, then a manual follow-up instead of silence', async () => {
    const report = await run(
      { start: `${THURSDAY}T08:00:00+01:00`, accounts: [parisAccount()], events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 10)] },
      outage('check-store-call', Number.POSITIVE_INFINITY),
    );

    expect(report.tasks.map((t) => t.kind)).toEqual(['manual-follow-up']);
    expect(report.executions.map((e) => e.status)).toEqual(['FAILED']);
  });
});
