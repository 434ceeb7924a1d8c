import { describe, expect, it } from 'vitest';
import { actionInput, builtFlow } from '../support/flows.ts';
import { SUBSTITUTION_TOKEN } from '../../lib/catalog.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { loadStateMachineClass, runWithClock } from '../../sandbox/engine/interpreter.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { placeholderArn } from '../../scripts/validate-asl.ts';
import { executionsOfThisPlaybook, redAlert, redAlertCalls, redAlertUpdate, redelivered, spyOn, Throttled } from '../support/red-alerts.ts';
import { npsAnswer, parisAccount, run } from '../support/scenario.ts';

// statemachines/competitor-meeting.asl.json when things go wrong: a step's answer lost after it wrote
// (a Lambda timeout, a throttled response) and retried by Step Functions; a side step down; a run that
// failed for good and the deliveries after it. Real interpreter, functions and DynamoDB; virtual clock.

const DEFINITION_TEXT = builtFlow('competitor-meeting');
const definition = JSON.parse(DEFINITION_TEXT) as {
  States: Record<string, { Type: string; Next?: string; TimeoutSeconds?: number; Retry?: { ErrorEquals: string[]; JitterStrategy?: string }[]; Catch?: { Next: string }[] }>;
};

/** The first call of `functionId` does its work (it writes), then its answer is lost; later calls pass. */
function firstAnswerLost(functionId: 'recheck-competitor-meeting'): { intercept: FunctionInterceptor; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    intercept: (id, _input, call) => {
      if (id !== functionId) return call();
      calls += 1;
      return calls === 1
        ? call().then(() => {
            throw new Throttled('Task timed out after the write');
          })
        : call();
    },
  };
}

/** Every call of `functionId` made by the first execution that calls it does its work, then fails: that run fails for good. */
function firstRunFails(functionId: 'plan-competitor-meeting' | 'recheck-competitor-meeting'): FunctionInterceptor {
  let doomed: string | undefined;
  return (id, input, call) => {
    if (id !== functionId) return call();
    const { execution } = input as { execution: string };
    doomed ??= execution;
    return execution !== doomed
      ? call()
      : call().then(() => {
          throw new Throttled('Rate exceeded');
        });
  };
}

describe('competitor-meeting: recheck retried after it wrote', () => {
  it('given the re-check decided to call and wrote it, when its answer is lost and the step retried, then it answers call again and the red-alert-call is created, due at the call instant', async () => {
    const lost = firstAnswerLost('recheck-competitor-meeting');
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [redAlert('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00')] },
      lost.intercept,
    );
    expect(lost.calls()).toBe(2);
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-16T09:00:00+01:00']);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
  });

  it('given the re-check re-planned a moved meeting and wrote it, when its answer is lost and the step retried, then it waits again and the call comes on the new call day, not weeks early', async () => {
    const lost = firstAnswerLost('recheck-competitor-meeting');
    const report = await run(
      {
        start: '2026-11-02T08:00:00+01:00',
        accounts: [parisAccount()],
        events: [
          redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'), // call on Monday 16
          redAlertUpdate('2026-11-04T10:00:00+01:00', '2026-11-30T14:00:00+01:00'), // moved: call on Monday 23
        ],
      },
      lost.intercept,
    );
    expect(lost.calls()).toBe(3);
    expect(redAlertCalls(report).map((task) => [task.createdAt, task.dueAt])).toEqual([['2026-11-23T09:00:00+01:00', '2026-11-23T09:00:00+01:00']]);
  });
});

describe('competitor-meeting: a side step that fails does not cancel the call', () => {
  const down =
    (fails: (id: string, input: Record<string, unknown>) => boolean): FunctionInterceptor =>
    (id, input, call) =>
      fails(id, input as Record<string, unknown>) ? Promise.reject(new Throttled('Rate exceeded')) : call();

  it('given the note cannot be written, then the CSM gets a manual-follow-up task that day and the red-alert-call still comes', async () => {
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [redAlert('2026-11-13T11:00:00+01:00', '2026-11-17T14:00:00+01:00')] },
      down((id) => id === 'record-account-note'),
    );
    expect(report.tasks.map((task) => [task.kind, task.dueAt])).toEqual([
      ['manual-follow-up', '2026-11-13T18:00:00+01:00'],
      ['red-alert-call', '2026-11-16T09:00:00+01:00'],
    ]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'SUCCEEDED', stoppedAt: '2026-11-16T09:00:00+01:00' })]);
  });

  it.each([
    ['the churn risk cannot be opened', (id: string) => id === 'open-risk'],
    ['its churn-risk-info-and-meeting task cannot be created', (id: string, input: Record<string, unknown>) => id === 'create-task' && input.kind === 'churn-risk-info-and-meeting'],
  ])('given a coupled red alert, when %s, then a manual-follow-up task and still the red-alert-call', async (_, fails) => {
    const report = await run(
      {
        start: '2026-10-14T08:00:00+02:00',
        accounts: [parisAccount()],
        events: [npsAnswer('2026-10-14T10:00:00+02:00', 2), redAlert('2026-11-13T11:00:00+01:00', '2026-11-27T14:00:00+01:00')],
      },
      down((id, input) => (id === 'open-risk' && input.origin === 'nps' ? false : fails(id, input))),
    );
    const ofTheRedAlert = report.tasks.filter((task) => ['manual-follow-up', 'churn-risk-info-and-meeting', 'red-alert-call'].includes(task.kind));
    expect(ofTheRedAlert.map((task) => [task.kind, task.dueAt])).toEqual([
      ['manual-follow-up', '2026-11-13T18:00:00+01:00'],
      ['red-alert-call', '2026-11-20T09:00:00+01:00'],
    ]);
  });
});

describe('competitor-meeting: after a failed run', () => {
  it('given the plan failed for good after it wrote the meeting, when the event is delivered again, then the redelivery completes the follow-up: the note and the call', async () => {
    const alert = redAlert('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00');
    const notes = spyOn('record-account-note');
    const failing = firstRunFails('plan-competitor-meeting');
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [alert, redelivered(alert, '2026-11-13T17:45:00+01:00')] },
      (id, input, call) => failing(id, input, () => notes.intercept(id, input, call)),
    );
    expect(report.tasks.map((task) => [task.kind, task.dueAt])).toEqual([
      ['manual-follow-up', '2026-11-13T18:00:00+01:00'],
      ['red-alert-call', '2026-11-16T09:00:00+01:00'],
    ]);
    expect(notes.inputs).toHaveLength(1);
    expect(executionsOfThisPlaybook(report).map((execution) => [execution.status, execution.error])).toEqual([
      ['FAILED', 'AutomationFailed'],
      ['SUCCEEDED', undefined],
    ]);
  });

  it('given the re-check failed for good on the call day, when a later detection moves the meeting, then the meeting is followed up again and called before its new date', async () => {
    const report = await run(
      {
        start: '2026-11-02T08:00:00+01:00',
        accounts: [parisAccount()],
        events: [
          redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'), // call on Monday 16: the re-check fails
          redAlertUpdate('2026-11-17T10:00:00+01:00', '2026-11-30T14:00:00+01:00'), // moved: call on Monday 23
        ],
      },
      firstRunFails('recheck-competitor-meeting'),
    );
    expect(report.tasks.map((task) => [task.kind, task.dueAt])).toEqual([
      ['manual-follow-up', '2026-11-16T18:00:00+01:00'],
      ['red-alert-call', '2026-11-23T09:00:00+01:00'],
    ]);
    expect(executionsOfThisPlaybook(report).map((execution) => execution.status)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('given a failed run, when the event is delivered again after the call day is over (Monday 19:00), then the call is due at the next closing time (Tuesday 18:00), not at the instant of the late wake-up', async () => {
    const alert = redAlert('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00');
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [alert, redelivered(alert, '2026-11-16T19:00:00+01:00')] },
      firstRunFails('plan-competitor-meeting'),
    );
    expect(redAlertCalls(report).map((task) => [task.createdAt, task.dueAt])).toEqual([['2026-11-16T19:00:00+01:00', '2026-11-17T18:00:00+01:00']]);
  });
});

describe('competitor-meeting: the definition', () => {
  /** Each side step and the state that reports its failure, then goes on to the wait. */
  const SIDE_STEPS: Record<string, string> = { OpenChurnRisk: 'ChurnRiskFailed', CreateChurnRiskInfoAndMeeting: 'ChurnRiskTaskFailed', RecordNote: 'NoteFailed' };
  /** The alert channel's steps: side steps too, each with its own manual follow-up, after which the follow-up goes on. */
  const ALERT_STEPS: Record<string, [string, string]> = {
    PostRedAlert: ['PostRedAlertFailed', 'ByPlan'],
    AcknowledgeRedAlert: ['AcknowledgeRedAlertFailed', 'WaitForCallDay'],
    AcknowledgePastMeetingAlert: ['AcknowledgePastMeetingAlertFailed', 'MeetingAlreadyPast'],
  };
  const alertFailures = new Set(Object.values(ALERT_STEPS).map(([failed]) => failed));
  const catchTarget = (name: string) =>
    name === 'CreateManualFollowUp' || alertFailures.has(name)
      ? undefined
      : name === 'ReleaseFollowUp'
        ? 'CreateManualFollowUp'
        : (SIDE_STEPS[name] ?? ALERT_STEPS[name]?.[0] ?? 'ReleaseFollowUp');

  it.each(Object.entries(definition.States).filter(([, state]) => state.Type === 'Task'))(
    'given the Task state %s, then it has a 60-second timeout, jittered retries on any error, and a Catch to a visible outcome',
    (name, state) => {
      expect(state.TimeoutSeconds).toBe(60);
      expect(state.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL' })]));
      // A manual follow-up is caught by nothing: the execution fails there, to be redriven there.
      const target = catchTarget(name);
      expect(state.Catch?.map((c) => c.Next)).toEqual(target === undefined ? undefined : [target]);
    },
  );

  it.each(Object.values(SIDE_STEPS))('given a side step failed, then its manual-follow-up task (%s) says what to do by hand and leads on to the wait for the call (the red alert acknowledged first)', (name) => {
    const state = definition.States[name] as { Next?: string; Parameters?: Record<string, string> };
    expect(state.Next).toBe('RedAlertPosted');
    expect(actionInput(state)).toMatchObject({ kind: 'manual-follow-up', step: expect.stringContaining('the red-alert call is still planned') });
  });

  it.each(Object.entries(ALERT_STEPS))('given the alert step %s failed, then its manual follow-up says what to do by hand and the follow-up goes on', (_step, [failed, next]) => {
    const state = definition.States[failed] as { Next?: string; Parameters?: Record<string, string> };
    expect(state.Next).toBe(next);
    expect(actionInput(state)).toMatchObject({ kind: 'manual-follow-up', step: expect.stringContaining('alert channel') });
  });

  it('given a re-plan, then the plan carries the new call instant along with its wake-up time', async () => {
    // The sandbox's interpreter, whose wall clock can hold the year-long execution timeout.
    const StateMachine = await loadStateMachineClass();
    const machine = new StateMachine(JSON.parse(DEFINITION_TEXT.replace(SUBSTITUTION_TOKEN, (_, key: string) => placeholderArn(key))) as never);
    const schedule = (day: string) => ({ callAt: `${day}T09:00:00+01:00`, wakeAt: `${day}T08:00:00Z` });
    let checks = 0;
    const handlers = {
      PlanFollowUp: async () => ({ action: 'follow-up', meetingId: 'mtg-1', reason: 'evt-red-1', schedule: schedule('2026-11-16'), coupled: false, signals: [], summary: '…' }),
      PostRedAlert: async () => ({ alertId: 'alr-1', created: true }),
      RecordNote: async () => ({}),
      AcknowledgeRedAlert: async () => ({ acknowledged: true, changed: true }),
      ReCheck: async (): Promise<Record<string, string | Record<string, string>>> =>
        ++checks === 1 ? { decision: 're-plan', schedule: schedule('2026-11-23') } : { decision: 'call', dueAt: '2026-11-23T09:00:00+01:00', details: '…' },
      CreateRedAlertCall: async () => ({}),
    };
    const execution = runWithClock(wallClock, () =>
      machine.run(
        { detail: { eventId: 'evt-red-1', accountId: 'acc-paris', competitor: 'Planity' } },
        { overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: { WaitForCallDay: 0 } }, context: { Execution: { Name: 'exec-1' } } },
      ),
    );
    const output = (await execution.result) as { plan: { schedule: unknown } };
    expect(output.plan.schedule).toEqual(schedule('2026-11-23'));
  });
});
