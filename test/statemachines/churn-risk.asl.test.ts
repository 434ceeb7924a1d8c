import { describe, expect, it } from 'vitest';
import { actionInput, builtFlow } from '../support/flows.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount, run, withoutAlertReminder } from '../support/scenario.ts';
import { Throttled } from '../support/faults.ts';

const definition = JSON.parse(builtFlow('churn-risk')) as {
  States: Record<
    string,
    { Type: string; TimeoutSeconds?: number; Parameters?: Record<string, unknown>; Retry?: { ErrorEquals: string[]; JitterStrategy?: string }[]; Catch?: { Next: string }[] }
  >;
};

const churnRisk = (reason?: string) => ({
  at: '2026-11-12T10:00:00+01:00',
  type: 'ChurnRiskCreated',
  detail: { eventId: 'evt-crm-1', accountId: 'acc-paris', kind: 'churn-risk', createdAt: '2026-11-12T10:00:00+01:00', ...(reason ? { reason } : {}) },
});
const scenario = (reason?: string) => ({ start: '2026-11-12T08:00:00+01:00', accounts: [parisAccount()], events: [churnRisk(reason)] });

describe('churn-risk: Retry and Catch', () => {
  it.each(Object.entries(definition.States).filter(([, s]) => s.Type === 'Task'))(
    'given the Task state %s, then it has a 60-second timeout, jittered retries on any error, and a Catch to a visible outcome',
    (name, state) => {
      expect(state.TimeoutSeconds).toBe(60);
      expect(state.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL' })]));
      const sideStepFailure: Record<string, string> = { PostAlert: 'PostAlertFailed', AcknowledgeAlert: 'AcknowledgeAlertFailed' };
      const manualFollowUp = actionInput(state)?.kind === 'manual-follow-up';
      // A manual follow-up is caught by nothing: the execution fails there, to be redriven there.
      expect(state.Catch?.map((c) => c.Next)).toEqual(manualFollowUp ? undefined : [sideStepFailure[name] ?? 'CreateManualFollowUp']);
    },
  );

  it('given the risk store fails on every attempt, then the CSM gets a manual follow-up today and the execution fails visibly', async () => {
    let calls = 0;
    const down: FunctionInterceptor = (id, _input, call) => (id === 'open-risk' ? (calls++, Promise.reject(new Throttled('Rate exceeded'))) : call());
    const report = await run(scenario('Asked about the contract end date'), down);

    expect(calls).toBe(5);
    expect(report.risks).toEqual([]);
    expect(report.tasks.map((t) => [t.kind, t.dueAt])).toEqual([['manual-follow-up', '2026-11-12T18:00:00+01:00']]);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ status: 'FAILED', error: 'AutomationFailed' })]);
  });

  it('given a reason from the CRM, then the info-and-meeting task carries it, and the execution only its sealed id', async () => {
    const details: unknown[] = [];
    const spy: FunctionInterceptor = (id, input, call) => {
      if (id === 'create-task') details.push((input as { details?: unknown }).details);
      return call();
    };
    const report = await run(scenario('Asked about the contract end date'), spy);

    expect(report.tasks.map((task) => task.details)).toEqual(['churn-risk raised by the CRM: Asked about the contract end date']);
    expect(details).toEqual([['churn-risk raised by the CRM:', { sealed: expect.stringMatching(/^sld-/), accountId: 'acc-paris' }]]);
  });

  it('given no reason from the CRM, then the same Task state creates the task, and its details say the CRM gave none', async () => {
    const report = await run(scenario());

    expect(report.tasks.map((task) => task.details)).toEqual(['churn-risk raised by the CRM: no reason given']);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the definition, then one Task state creates the info-and-meeting task, keyed on the risk', () => {
    const creators = Object.entries(definition.States).filter(([, s]) => actionInput(s)?.kind === 'churn-risk-info-and-meeting');
    expect(creators.map(([name]) => name)).toEqual(['CreateInfoAndMeeting']);
    expect(actionInput(creators[0]![1])).toMatchObject({ playbook: 'churn-risk', 'reason.$': '$.risk.riskId' });
  });
});
