import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { actionInput, builtFlow } from '../support/flows.ts';
import { MAX_ACTION_PLAN_REVIEW_DAYS, resolveSettings } from '../../functions/contracts/index.ts';
import type { ActionId } from '../../lib/catalog.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { npsAnswer, parisAccount, run, withoutAlertReminder } from '../support/scenario.ts';
import { outage, Throttled } from '../support/faults.ts';

// The follow-up branches of statemachines/nps-response.asl.json (detractor waits, promoter store
// call): their Retry and Catch, and the execution's time bound.
const THURSDAY = '2026-11-12';
const DAY_SECONDS = 86_400;
const definition = JSON.parse(builtFlow('nps-response')) as {
  TimeoutSeconds: number;
  States: Record<
    string,
    {
      Type: string;
      Next?: string;
      Resource?: string;
      TimeoutSeconds?: number;
      TimeoutSecondsPath?: string;
      Parameters?: Record<string, unknown>;
      Retry?: { ErrorEquals: string[]; JitterStrategy?: string }[];
      Catch?: { ErrorEquals: string[]; Next: string }[];
    }
  >;
};

/** Runs `second` inside `first`: both see every call. */
function both(first: FunctionInterceptor, second: FunctionInterceptor): FunctionInterceptor {
  return (id, input, call) => first(id, input, () => second(id, input, call));
}

/** create-task fails for good on the requests `matches` picks, as a throttled table would. */
function failingTask(matches: (input: { kind: string; ownerRole: string }) => boolean): FunctionInterceptor {
  return (id, input, call) => (id === 'create-task' && matches(input as { kind: string; ownerRole: string }) ? Promise.reject(new Throttled('Rate exceeded')) : call());
}

/** Every create-task request that succeeded, by task kind; `of` gives their details. */
function recordTaskDetails() {
  const requests: { kind: string; details?: string }[] = [];
  const interceptor: FunctionInterceptor = async (id, input, call) => {
    const result = await call();
    if (id === 'create-task') requests.push(input as { kind: string; details?: string });
    return result;
  };
  const requestsOf = (kind: string) => requests.filter((r) => r.kind === kind);
  return { interceptor, requestsOf, of: (kind: string) => requestsOf(kind).map((r) => r.details) };
}

/** What each successful call to `actionId` returned. */
function spyOnResults(actionId: ActionId) {
  const results: unknown[] = [];
  const interceptor: FunctionInterceptor = async (id, _input, call) => {
    const result = await call();
    if (id === actionId) results.push(result);
    return result;
  };
  return { interceptor, results };
}

/**
 * Kind and creation minute (a manual follow-up comes after its step's retries, seconds later), by time
 * then kind: tasks of the same instant are listed by id in the report.
 */
const inOrder = (report: Awaited<ReturnType<typeof run>>) =>
  report.tasks
    .map((t) => [t.kind, t.createdAt.slice(0, 16)] as const)
    .sort(([ka, a], [kb, b]) => a.localeCompare(b) || ka.localeCompare(kb));

const userAccount = () => parisAccount({ contacts: [...parisAccount().contacts, { id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' }] });
const detractor = () => ({ start: `${THURSDAY}T08:00:00+01:00`, accounts: [userAccount()], events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 3, { contactId: 'ct-user' })] });

describe('nps-response: the conventions hold on every Task state', () => {
  const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
  const manualFollowUps = new Set(tasks.filter(([, state]) => actionInput(state)?.kind === 'manual-follow-up').map(([name]) => name));

  it.each(tasks)('given the Task state %s, then it has a 60-second timeout, jittered retries on any error, and a Catch to a visible outcome', (name, state) => {
    if (state.Resource?.endsWith('.waitForTaskToken')) {
      // Waiting for the CSM: the approval window is its timeout, and its expiry an outcome, not an error to retry.
      expect(state.TimeoutSecondsPath).toBe('$.approvalPlan.timeoutSeconds');
      expect(state.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.TaskFailed'], JitterStrategy: 'FULL' })]));
      expect(state.Catch?.map((c) => c.ErrorEquals[0])).toEqual(['States.Timeout', 'States.ALL']);
      expect(manualFollowUps.has(state.Catch![1]!.Next)).toBe(true);
      return;
    }
    expect(state.TimeoutSeconds).toBe(60);
    expect(state.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL' })]));
    const targets = state.Catch?.map((c) => c.Next) ?? [];
    if (manualFollowUps.has(name)) expect(targets).toEqual([]);
    else expect(targets.length === 1 && manualFollowUps.has(targets[0]!)).toBe(true);
  });

  it('given a step fails for good, then after its manual follow-up only the steps the detractor’s follow-up depends on end the run; a side step’s failure goes on with the path', () => {
    const afterFailure = Object.fromEntries(
      tasks.filter(([name]) => !manualFollowUps.has(name)).map(([name, state]) => [name, definition.States[state.Catch!.at(-1)!.Next]!.Next]),
    );
    expect(afterFailure).toEqual({
      RecordResponse: 'AutomationFailed',
      OpenChurnRisk: 'AutomationFailed',
      GatherDetractorContext: 'ContextUnavailable',
      PostDetractorAlert: 'GatherDetractorContext',
      CreateContextReview: 'DetractorAlertPosted',
      AcknowledgeDetractorAlert: 'EscalateToTeamLead',
      CreateEscalation: 'SuppressNpsSurveys',
      SuppressNpsSurveys: 'PlanDetractorFollowUp',
      PlanDetractorFollowUp: 'AutomationFailed',
      CheckRiskAfterCoolDown: 'WaitForPlanReview',
      CheckDetractorContacted: 'WaitForPlanReview',
      CreateDetractorCall: 'WaitForPlanReview',
      CheckRiskBeforeReview: 'AutomationFailed',
      CreatePlanReview: 'AutomationFailed',
      CreateFollowUpCall: 'AutomationFailed',
      CheckStoreCall: 'AutomationFailed',
      CreateStoreCall: 'AutomationFailed',
      // The review request is a side step: a promoter's run ends well even when it must be sent by hand.
      PrepareReviewRequest: 'Promoter',
      PlanReviewRequestApproval: 'Promoter',
      // Its Slack message is a side step of the approval: its failure is a task saying to decide on the approval task.
      OfferReviewRequestApproval: 'RequestReviewRequestApproval',
      RequestReviewRequestApproval: 'Promoter',
      SendReviewRequest: 'Promoter',
    });
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
    const inputs: { kind: string; details?: unknown }[] = [];
    const throttled = outage('gather-detractor-context', 2);
    const record: FunctionInterceptor = (id, input, call) => {
      if (id === 'create-task') inputs.push(input as { kind: string; details?: unknown });
      return throttled(id, input, call);
    };
    const details = new Map<string, string | undefined>();
    const report = await simulate(parseScenario(detractor()), {
      intercept: record,
      // The tasks as filed: their text is in the ledger, never in the execution's state (only the sealed text's id).
      inspect: async (sandbox) => {
        for (const task of await sandbox.ledger.scan<{ kind: string; details?: string }>('task')) details.set(task.kind, task.details);
      },
    });

    expect(report.tasks.map((t) => t.kind)).toEqual(['detractor-context-review', 'detractor-call', 'detractor-plan-review']);
    expect(inputs.find((input) => input.kind === 'detractor-context-review')?.details).toEqual({ sealed: expect.stringMatching(/^sld-/), accountId: expect.any(String) });
    expect(JSON.stringify(inputs)).not.toMatch(/Sam User|Alex Champion/);
    expect(details.get('detractor-context-review')).toContain('Respondent: Sam User, user; not the champion (the champion is Alex Champion)');
    expect(details.get('detractor-call')).toMatch(/^Call Sam User \(user\)/);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the touchpoint read fails on every attempt after the cool-down, then the CSM gets a manual follow-up on Monday instead of the call, and the plan is still reviewed', async () => {
    const calls = { count: 0 };
    const report = await run(detractor(), outage('find-touchpoint', Number.POSITIVE_INFINITY, calls));

    expect(calls.count).toBe(5);
    expect(inOrder(report)).toEqual([
      ['detractor-context-review', `${THURSDAY}T10:00`],
      ['manual-follow-up', '2026-11-16T09:00'],
      ['detractor-plan-review', '2026-12-14T09:00'],
    ]);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
  });

  it('given the survey suppression fails for good, then the detractor-call still comes on the cool-down day and the plan review after it, plus one manual follow-up naming the step', async () => {
    const details = recordTaskDetails();
    const report = await run(detractor(), both(outage('suppress-nps-surveys', Number.POSITIVE_INFINITY), details.interceptor));

    expect(inOrder(report)).toEqual([
      ['detractor-context-review', `${THURSDAY}T10:00`],
      ['manual-follow-up', `${THURSDAY}T10:00`],
      ['detractor-call', '2026-11-16T09:00'],
      ['detractor-plan-review', '2026-12-14T09:00'],
    ]);
    // create-task writes the details from these (describeFailure): "<step>: step failed (<error>: <message>) for event <id>."
    expect(details.requestsOf('manual-follow-up')).toEqual([
      expect.objectContaining({
        step: expect.stringMatching(/^Suppress the account’s NPS surveys/),
        failure: expect.objectContaining({ Error: 'ThrottlingException' }),
        eventId: expect.stringMatching(/^evt-nps-/),
        reason: expect.stringMatching(/^evt-nps-\d+:SuppressNpsSurveys:ThrottlingException$/),
      }),
    ]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the context read fails for good, then a manual follow-up replaces the context review, the surveys are still suppressed, and the call (with a brief from the answer) and the review still come', async () => {
    const details = recordTaskDetails();
    const suppressions = spyOnResults('suppress-nps-surveys');
    // No context review, so the detractor alert stays open and the 17:00 reminder lists it every business
    // day (test/sandbox/alert-reminder.test.ts): the run stops the day after the plan review.
    const report = await run(
      { ...detractor(), until: '2026-12-15T08:00:00+01:00' },
      both(outage('gather-detractor-context', Number.POSITIVE_INFINITY), both(details.interceptor, suppressions.interceptor)),
    );

    expect(inOrder(report)).toEqual([
      ['manual-follow-up', `${THURSDAY}T10:00`],
      ['detractor-call', '2026-11-16T09:00'],
      ['detractor-plan-review', '2026-12-14T09:00'],
    ]);
    expect(suppressions.results).toEqual([{ suppressed: true, changed: true }]);
    expect(details.of('detractor-call')[0]).toMatch(/^Call contact ct-user about their 3\/10 NPS answer of 2026-11-12T10:00:00\+01:00/);
    expect(details.of('detractor-plan-review')[0]).toMatch(/^Measure the action plan started after the 3\/10 NPS answer/);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the CSM’s context review cannot be written, when the champion answers, then the team lead still gets their copy, and the call and the review still come', async () => {
    const report = await run(
      { ...detractor(), events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 3, { contactId: 'ct-champion' })] },
      failingTask((input) => input.kind === 'detractor-context-review' && input.ownerRole === 'csm'),
    );

    expect(report.tasks.map((t) => [t.kind, t.owner]).sort()).toEqual([
      ['detractor-call', 'csm-camille'],
      ['detractor-context-review', 'lead-jordan'],
      ['detractor-plan-review', 'csm-camille'],
      ['manual-follow-up', 'csm-camille'],
    ]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the team lead’s copy cannot be written, then the surveys are still suppressed, and the call and the review still come', async () => {
    const suppressions = spyOnResults('suppress-nps-surveys');
    const report = await run(
      { ...detractor(), events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 3, { contactId: 'ct-champion' })] },
      both(failingTask((input) => input.ownerRole === 'teamLead'), suppressions.interceptor),
    );

    expect(inOrder(report).map(([kind]) => kind)).toEqual(['detractor-context-review', 'manual-follow-up', 'detractor-call', 'detractor-plan-review']);
    expect(suppressions.results).toEqual([{ suppressed: true, changed: true }]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the detractor-call cannot be written, then a manual follow-up on Monday, and the plan is still reviewed', async () => {
    const report = await run(detractor(), failingTask((input) => input.kind === 'detractor-call'));

    expect(inOrder(report)).toEqual([
      ['detractor-context-review', `${THURSDAY}T10:00`],
      ['manual-follow-up', '2026-11-16T09:00'],
      ['detractor-plan-review', '2026-12-14T09:00'],
    ]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the risk read fails for good when the cool-down ends, then a manual follow-up on Monday instead of the call, and the review once the read works again', async () => {
    const report = await run(detractor(), outage('find-open-risk', 5));

    expect(inOrder(report)).toEqual([
      ['detractor-context-review', `${THURSDAY}T10:00`],
      ['manual-follow-up', '2026-11-16T09:00'],
      ['detractor-plan-review', '2026-12-14T09:00'],
    ]);
  });

  it('given two side steps failing with the same error, then two manual follow-ups, one per step, not one swallowing the other', async () => {
    const report = await run(detractor(), both(outage('suppress-nps-surveys', Number.POSITIVE_INFINITY), outage('find-touchpoint', Number.POSITIVE_INFINITY)));

    expect(report.tasks.filter((t) => t.kind === 'manual-follow-up').map((t) => t.createdAt.slice(0, 16))).toEqual([`${THURSDAY}T10:00`, '2026-11-16T09:00']);
  });

  it('given the store-call check fails for good, when a promoter answers, then a manual follow-up instead of silence', async () => {
    const report = await run(
      { start: `${THURSDAY}T08:00:00+01:00`, accounts: [parisAccount()], events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 10)] },
      outage('check-store-call', Number.POSITIVE_INFINITY),
    );

    expect(report.tasks.map((t) => t.kind)).toEqual(['manual-follow-up']);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['FAILED']);
  });
});
