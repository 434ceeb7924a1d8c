import { describe, expect, it } from 'vitest';
import { builtFlow } from '../support/flows.ts';
import { FOLLOW_UP_EXECUTION_SECONDS } from '../../functions/core/competitor-meeting/execution-limit.ts';
import { taskId } from '../../functions/core/tasks/identity.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { executionsOfThisPlaybook, ofThisPlaybook, redAlert, redAlertCalls, redAlertUpdate, spyOn, Throttled, touchpoint } from '../support/red-alerts.ts';
import { npsAnswer, parisAccount, run } from '../support/scenario.ts';

// statemachines/competitor-meeting.asl.json in the real interpreter, with the real functions and a
// real DynamoDB, on the virtual clock. Paris is UTC+01:00 in November.

describe('competitor-meeting: when the CSM calls', () => {
  const FRIDAY_EVENING = redAlert('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00');

  it('given an account in Paris, when a red alert arrives on Friday 17:30 for a meeting next Tuesday, then a red-alert-call is due on Monday at 09:00', async () => {
    const report = await run({ start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [FRIDAY_EVENING] });
    expect(redAlertCalls(report)).toEqual([
      expect.objectContaining({ accountId: 'acc-paris', owner: 'csm-camille', createdAt: '2026-11-16T09:00:00+01:00', dueAt: '2026-11-16T09:00:00+01:00' }),
    ]);
    expect(report.risks).toEqual([]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'SUCCEEDED', stoppedAt: '2026-11-16T09:00:00+01:00' })]);
  });

  it('given the same red alert, when the run stops on Monday at 08:59:59, then no task exists yet and the follow-up is still waiting', async () => {
    const report = await run({ start: '2026-11-13T08:00:00+01:00', until: '2026-11-16T08:59:59+01:00', accounts: [parisAccount()], events: [FRIDAY_EVENING] });
    expect(report.tasks).toEqual([]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'RUNNING' })]);
  });

  it('given a competitor meeting on a Saturday three weeks away, then the call is a week before, on the business day on or before (Friday)', async () => {
    const report = await run({
      start: '2026-10-30T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [redAlert('2026-10-30T11:00:00+01:00', '2026-11-21T10:00:00+01:00')],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-13T09:00:00+01:00']);
  });

  it('given a red alert on 10 November in Paris, when the next day is a public holiday (11 November), then the call is on the 12th', async () => {
    const report = await run({
      start: '2026-11-10T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [redAlert('2026-11-10T15:00:00+01:00', '2026-11-13T10:00:00+01:00')],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-12T09:00:00+01:00']);
  });

  it('given a red alert before the clocks go back (25 October 2026) and a call day after, then the task is due at 09:00 winter time (+01:00)', async () => {
    const report = await run({
      start: '2026-10-20T08:00:00+02:00',
      accounts: [parisAccount()],
      events: [redAlert('2026-10-20T10:00:00+02:00', '2026-11-03T14:00:00+01:00')],
    });
    expect(redAlertCalls(report)).toEqual([expect.objectContaining({ createdAt: '2026-10-27T09:00:00+01:00', dueAt: '2026-10-27T09:00:00+01:00' })]);
  });

  it('given callLeadDays 14 and callTime 10:30, then the call is two weeks before the meeting at 10:30', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      config: { competitorMeeting: { callLeadDays: 14, callTime: '10:30' } },
      accounts: [parisAccount()],
      events: [redAlert('2026-11-02T10:00:00+01:00', '2026-12-03T14:00:00+01:00')],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-19T10:30:00+01:00']);
  });
});

describe('competitor-meeting: one follow-up per meeting', () => {
  it('given a meeting three weeks away, when the same meeting is detected again with a later date, then one follow-up re-plans and the task is on the new call day', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [
        redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'), // call on Monday 16
        redAlertUpdate('2026-11-04T10:00:00+01:00', '2026-11-30T14:00:00+01:00'), // moved: call on Monday 23
      ],
    });
    expect(redAlertCalls(report).map((task) => [task.createdAt, task.dueAt])).toEqual([['2026-11-23T09:00:00+01:00', '2026-11-23T09:00:00+01:00']]);
    const [followUp, update] = executionsOfThisPlaybook(report);
    // The update records the new date and ends (PlanFollowUp, PostRedAlert finding the meeting's alert posted, ByPlan, MeetingRecordUpdated).
    expect(update).toMatchObject({ status: 'SUCCEEDED', stoppedAt: '2026-11-04T10:00:00+01:00', transitions: 4 });
    expect(followUp).toMatchObject({ status: 'SUCCEEDED', stoppedAt: '2026-11-23T09:00:00+01:00' });
  });

  it('given a follow-up waiting for a call in two weeks, when the meeting is moved to next Tuesday, then the call comes before the new date, once', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [
        redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'), // call on Monday 16
        redAlertUpdate('2026-11-04T10:00:00+01:00', '2026-11-10T14:00:00+01:00'), // moved earlier: call on Thursday 5
      ],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-05T09:00:00+01:00']);
    // The first execution wakes on the 16th, finds the follow-up taken over, and stops without a task.
    expect(executionsOfThisPlaybook(report).map((execution) => [execution.status, execution.stoppedAt])).toEqual([
      ['SUCCEEDED', '2026-11-16T09:00:00+01:00'],
      ['SUCCEEDED', '2026-11-05T09:00:00+01:00'],
    ]);
  });

  it('given a newer update, when the older detection is delivered again after it, then the newer meeting time stands', async () => {
    const first = redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00');
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [first, redAlertUpdate('2026-11-04T10:00:00+01:00', '2026-11-30T14:00:00+01:00'), { ...first, at: '2026-11-05T10:00:00+01:00' }],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-23T09:00:00+01:00']);
  });

  it.each([
    ['the update second', ['evt-red-tie-a', 'evt-red-tie-b']],
    ['the update first', ['evt-red-tie-b', 'evt-red-tie-a']],
  ])('given two detections of the meeting with the same detectedAt, delivered %s, then they are ordered by eventId and both orders end on the same call', async (_, order) => {
    // Both stamped 10:00:00 by a vendor that keeps whole seconds; evt-red-tie-b moved the meeting a week later.
    const detections = {
      'evt-red-tie-a': redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00', { eventId: 'evt-red-tie-a' }),
      'evt-red-tie-b': redAlertUpdate('2026-11-02T10:00:00+01:00', '2026-11-30T14:00:00+01:00', { eventId: 'evt-red-tie-b' }),
    } as const;
    const [first, second] = order.map((id) => detections[id as keyof typeof detections]) as [object, object];
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [first, { ...second, at: '2026-11-02T10:05:00+01:00' }],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-23T09:00:00+01:00']);
  });

  it('given a first detection of a meeting that had already taken place (meetingAt before detectedAt), then no follow-up and no call: a note on the account says why', async () => {
    const notes = spyOn('record-account-note');
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [redAlert('2026-11-13T10:00:00+01:00', '2026-11-12T14:00:00+01:00')] },
      notes.intercept,
    );
    expect(report.tasks).toEqual([]);
    expect(notes.inputs).toEqual([expect.objectContaining({ playbook: 'competitor-meeting', text: expect.stringContaining('already taken place when it was detected') })]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'SUCCEEDED', stoppedAt: '2026-11-13T10:00:00+01:00' })]);
  });

  it('given a meeting that took place after its call, when the client books the same competitor and shop again, then the new meeting gets its own call', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'), redAlert('2026-12-01T10:00:00+01:00', '2026-12-18T14:00:00+01:00')],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-16T09:00:00+01:00', '2026-12-11T09:00:00+01:00']);
  });

  it('given a red alert delivered twice, then nothing new comes of the second: one note, one task, and the second delivery ends at once', async () => {
    const alert = redAlert('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00');
    const notes = spyOn('record-account-note');
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [alert, { ...alert, at: '2026-11-13T17:30:05+01:00' }, { ...alert, at: '2026-11-18T10:00:00+01:00' }] },
      notes.intercept,
    );
    expect(report.tasks.map((task) => task.kind)).toEqual(['red-alert-call']);
    expect(notes.inputs).toHaveLength(1);
    // One alert, posted once and acknowledged once the call was planned.
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'red-alert', acknowledged: true })]);
    expect(report.notifications).toHaveLength(1);
    // The first: plan, post, note, acknowledge, wait, re-check, call. The repeats: plan, post (already posted), the end.
    expect(executionsOfThisPlaybook(report).map((execution) => [execution.status, execution.transitions])).toEqual([
      ['SUCCEEDED', 10],
      ['SUCCEEDED', 4],
      ['SUCCEEDED', 4],
    ]);
  });
});

describe('competitor-meeting: exit on goal', () => {
  it('given a red alert, when the meeting is cancelled before the call day, then no task is created', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [
        redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'),
        redAlertUpdate('2026-11-06T10:00:00+01:00', '2026-11-23T14:00:00+01:00', { status: 'cancelled' }),
      ],
    });
    expect(report.tasks).toEqual([]);
    expect(executionsOfThisPlaybook(report).map((execution) => [execution.status, execution.stoppedAt])).toEqual([
      ['SUCCEEDED', '2026-11-16T09:00:00+01:00'],
      ['SUCCEEDED', '2026-11-06T10:00:00+01:00'],
    ]);
  });

  it('given a cancelled meeting whose follow-up has exited, when the meeting is booked again, then a new follow-up calls before the new date', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [
        redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'),
        redAlertUpdate('2026-11-06T10:00:00+01:00', '2026-11-23T14:00:00+01:00', { status: 'cancelled' }),
        redAlertUpdate('2026-11-18T10:00:00+01:00', '2026-12-08T14:00:00+01:00', { status: 'scheduled' }),
      ],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-12-01T09:00:00+01:00']);
  });

  it('given a red alert, when a meeting with the client is logged two days later, then no red-alert-call is created', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'), touchpoint('2026-11-04T15:00:00+01:00', 'meeting')],
    });
    expect(redAlertCalls(report)).toEqual([]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'SUCCEEDED', stoppedAt: '2026-11-16T09:00:00+01:00' })]);
  });

  it('given a red alert, when only a call with the client is logged, then the red-alert-call still comes: its goal is a meeting', async () => {
    const report = await run({
      start: '2026-11-02T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [redAlert('2026-11-02T10:00:00+01:00', '2026-11-23T14:00:00+01:00'), touchpoint('2026-11-04T15:00:00+01:00', 'call')],
    });
    expect(redAlertCalls(report).map((task) => task.dueAt)).toEqual(['2026-11-16T09:00:00+01:00']);
  });
});

describe('competitor-meeting: coupled signals', () => {
  it('given a detractor NPS answer 30 days before, when a red alert arrives, then a churn risk is open and a churn-risk-info-and-meeting task is due that day', async () => {
    const risks = spyOn('open-risk');
    const report = await run(
      {
        start: '2026-10-14T08:00:00+02:00',
        accounts: [parisAccount()],
        events: [npsAnswer('2026-10-14T10:00:00+02:00', 2), redAlert('2026-11-13T11:00:00+01:00', '2026-11-27T14:00:00+01:00')],
      },
      risks.intercept,
    );
    expect(risks.inputs).toContainEqual({ accountId: 'acc-paris', kind: 'churn-risk', origin: 'red-alert', reason: expect.stringMatching(/^evt-red-/) });
    // One open churn risk per account: the detractor's, kept (as the churn-risk playbook keeps it).
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', status: 'open', accountId: 'acc-paris' })]);
    expect(report.tasks.filter((task) => task.kind === 'churn-risk-info-and-meeting' || task.kind === 'red-alert-call').map((task) => [task.kind, task.createdAt, task.dueAt])).toEqual([
      ['churn-risk-info-and-meeting', '2026-11-13T11:00:00+01:00', '2026-11-13T18:00:00+01:00'],
      ['red-alert-call', '2026-11-20T09:00:00+01:00', '2026-11-20T09:00:00+01:00'],
    ]);
  });

  it('given a coupled red alert, then its churn-risk-info-and-meeting is the task the churn-risk playbook gives for that open risk (playbook churn-risk, reason the risk id), so a ChurnRiskCreated for it adds no second one', async () => {
    const report = await run({
      start: '2026-10-14T08:00:00+02:00',
      accounts: [parisAccount()],
      events: [npsAnswer('2026-10-14T10:00:00+02:00', 2), redAlert('2026-11-13T11:00:00+01:00', '2026-11-27T14:00:00+01:00')],
    });
    const [risk] = report.risks;
    const infoAndMeeting = report.tasks.filter((task) => task.kind === 'churn-risk-info-and-meeting');
    expect(infoAndMeeting).toEqual([
      expect.objectContaining({
        playbook: 'churn-risk',
        id: taskId({ accountId: 'acc-paris', playbook: 'churn-risk', kind: 'churn-risk-info-and-meeting', reason: risk!.id }),
      }),
    ]);
  });

  it('given only a passive NPS answer 30 days before, when a red alert arrives, then no risk is opened: a note on the account, and the call', async () => {
    const notes = spyOn('record-account-note');
    const report = await run(
      {
        start: '2026-10-14T08:00:00+02:00',
        accounts: [parisAccount()],
        events: [npsAnswer('2026-10-14T10:00:00+02:00', 8), redAlert('2026-11-13T11:00:00+01:00', '2026-11-27T14:00:00+01:00')],
      },
      notes.intercept,
    );
    expect(report.risks).toEqual([]);
    expect(ofThisPlaybook(report).map((task) => task.kind)).toEqual(['red-alert-call']);
    expect(notes.inputs).toEqual([
      expect.objectContaining({ accountId: 'acc-paris', playbook: 'competitor-meeting', text: expect.stringContaining('No coupled signal') }),
    ]);
  });
});

describe('competitor-meeting: Retry and Catch', () => {
  it('given the re-check fails on every attempt, then after its retries the CSM gets a manual-follow-up task and the execution fails visibly', async () => {
    const down: FunctionInterceptor = (id, _input, call) => (id === 'recheck-competitor-meeting' ? Promise.reject(new Throttled('Rate exceeded')) : call());
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [redAlert('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00')] },
      down,
    );
    expect(report.tasks).toEqual([expect.objectContaining({ kind: 'manual-follow-up', playbook: 'competitor-meeting', owner: 'csm-camille', dueAt: '2026-11-16T18:00:00+01:00' })]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'FAILED', error: 'AutomationFailed' })]);
  });

  it('given the plan step times out after it wrote the meeting, when Step Functions retries it, then the same execution keeps the follow-up and calls once', async () => {
    let plans = 0;
    const lostAnswer: FunctionInterceptor = async (id, _input, call) => {
      const result = await call();
      if (id === 'plan-competitor-meeting' && ++plans === 1) throw new Throttled('Task timed out after the write');
      return result;
    };
    const report = await run(
      { start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [redAlert('2026-11-13T17:30:00+01:00', '2026-11-17T14:00:00+01:00')] },
      lostAnswer,
    );
    expect(plans).toBe(2);
    expect(report.tasks.map((task) => [task.kind, task.dueAt])).toEqual([['red-alert-call', '2026-11-16T09:00:00+01:00']]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
  });

  it('given a competitor meeting more than a year away, then no follow-up can wait that long: the CSM gets a manual-follow-up task that day', async () => {
    const report = await run({
      start: '2026-11-13T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [redAlert('2026-11-13T10:00:00+01:00', '2027-12-01T14:00:00+01:00')],
    });
    expect(report.tasks).toEqual([expect.objectContaining({ kind: 'manual-follow-up', dueAt: '2026-11-13T18:00:00+01:00' })]);
    expect(executionsOfThisPlaybook(report)).toEqual([expect.objectContaining({ status: 'FAILED', error: 'AutomationFailed' })]);
  });

  it('given the definition, then the execution may last the year a Standard workflow allows, the bound the plan checks calls against', () => {
    const definition = JSON.parse(builtFlow('competitor-meeting')) as { TimeoutSeconds: number };
    expect(definition.TimeoutSeconds).toBe(FOLLOW_UP_EXECUTION_SECONDS);
    expect(FOLLOW_UP_EXECUTION_SECONDS).toBe(365 * 24 * 3600);
  });
});
