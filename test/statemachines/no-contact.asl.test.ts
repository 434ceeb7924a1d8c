import { describe, expect, it } from 'vitest';
import { actionInput, builtFlow } from '../support/flows.ts';
import { MAX_APPROVAL_WINDOW_DAYS } from '../../functions/contracts/settings.ts';
import { CHECK_SLICE_DAYS } from '../../functions/core/checks/wake-up.ts';
import type { ActionId } from '../../lib/catalog.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { Throttled } from '../support/faults.ts';
import { accountUpdated, checkExecutions, checkTasks, tasksOf, touchpoint } from '../support/no-contact.ts';
import { parisAccount, run } from '../support/scenario.ts';

// statemachines/no-contact.asl.json: its conventions, and its failure paths in the real interpreter
// with the real functions and a real DynamoDB (faults injected through the sandbox's intercept).

interface State {
  Type: string;
  Comment?: string;
  Resource?: string;
  Next?: string;
  TimeoutSeconds?: number;
  Parameters?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; JitterStrategy?: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { Next: string; StringEquals?: string }[];
}
const definition = JSON.parse(builtFlow('no-contact')) as { TimeoutSeconds: number; StartAt: string; States: Record<string, State> };
const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

const DAY_SECONDS = 86_400;
const CALL = '2026-11-16T10:00:00+01:00';
const START = '2026-11-16T08:00:00+01:00';

/** `actionId` fails with a throttling error on its calls number `from` to `from + times - 1` (1-based), then works. */
function failsFor(actionId: ActionId, from: number, times: number): FunctionInterceptor {
  let calls = 0;
  return (id, _input, call) => {
    if (id !== actionId) return call();
    calls += 1;
    return calls >= from && calls < from + times ? Promise.reject(new Throttled('Rate exceeded')) : call();
  };
}

describe('no-contact: the definition', () => {
  it(`given one wait per execution of at most a slice (${CHECK_SLICE_DAYS} days), then the execution timeout covers the slice and the longest approval window with margin, and is far from Step Functions’ one-year limit`, () => {
    expect(Object.values(definition.States).filter((state) => state.Type === 'Wait')).toHaveLength(1);
    // MAX_APPROVAL_WINDOW_DAYS business days: 4 weeks, plus a week of public holidays at most.
    const longestApproval = (MAX_APPROVAL_WINDOW_DAYS / 5) * 7 + 7;
    expect(definition.TimeoutSeconds).toBeGreaterThanOrEqual((CHECK_SLICE_DAYS + 1 + longestApproval) * DAY_SECONDS);
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(90 * DAY_SECONDS);
  });

  it.each(tasks)('given the Task state %s, then a 60-second timeout, the retry list (no retry of what cannot succeed, jittered retries of the rest) and a Catch to a visible outcome', (name, state) => {
    const waitsForTheCsm = state.Resource?.endsWith('.waitForTaskToken');
    // The approval waits for its window (TimeoutSecondsPath); States.ALL would retry its expiry, so its catch-all is States.TaskFailed.
    expect(state.TimeoutSeconds).toBe(waitsForTheCsm ? undefined : 60);
    expect(state.Retry![0]).toMatchObject({ ErrorEquals: expect.arrayContaining(['ContractError', 'RangeError']), MaxAttempts: 0 });
    expect(state.Retry!.at(-1)).toMatchObject({ ErrorEquals: [waitsForTheCsm ? 'States.TaskFailed' : 'States.ALL'], JitterStrategy: 'FULL' });
    const allErrors = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
    // Every failure ends in the manual follow-up, then a Fail state. Nothing catches the follow-up itself:
    // the execution fails there, to be redriven there.
    // The e-mail is a side step: its failure is a manual follow-up saying to propose the exchange by hand, then the check goes on.
    const expected: Record<string, string | undefined> = {
      StartCheck: 'StartFailed',
      CreateManualFollowUp: undefined,
      ReleaseCheck: 'CheckFailed',
      PrepareProposal: 'ProposalFailed',
      PlanProposalApproval: 'ProposalFailed',
      // The approval's Slack message is a side step of its own: its failure tells the CSM to decide on the task, and the approval still waits.
      OfferProposalApproval: 'OfferProposalApprovalFailed',
      OfferProposalApprovalFailed: 'RequestProposalApproval',
      RequestProposalApproval: 'ProposalFailed',
      SendProposal: 'ProposalFailed',
    };
    expect(allErrors?.Next, name).toBe(name in expected ? expected[name] : 'ReleaseCheck');
  });

  it('given a failure anywhere, then the path ends in CreateManualFollowUp and the AutomationFailed Fail state', () => {
    for (const pass of ['StartFailed', 'CheckFailed']) expect(definition.States[pass]).toMatchObject({ Type: 'Pass', Next: 'CreateManualFollowUp' });
    expect(definition.States.CreateManualFollowUp).toMatchObject({ Next: 'AutomationFailed' });
    expect(actionInput(definition.States.CreateManualFollowUp!)).toMatchObject({ kind: 'manual-follow-up' });
    expect(definition.States.AutomationFailed!.Type).toBe('Fail');
  });

  it('given the hand-over, then it starts this very state machine (its own ${…} ARN) by a name the check decided, and an ExecutionAlreadyExists means it happened', () => {
    const handOver = definition.States.HandOver!;
    expect(handOver).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: { StateMachineArn: '${NoContactStateMachineArn}', 'Name.$': '$.decision.next.name', Input: { 'check.$': '$.decision.next.check' } },
      Next: 'HandedOver',
    });
    expect(handOver.Retry![0]!.ErrorEquals).toContain('StepFunctions.ExecutionAlreadyExistsException');
    expect(handOver.Catch![0]).toMatchObject({ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'], Next: 'HandedOver' });
  });

  it('given an outreach, then the outreach task first, then the no-contact-proposal e-mail (sent, asked for approval, or skipped), and whatever becomes of it the check is handed over for its reminder', () => {
    const byDecision = definition.States.ByDecision!.Choices!;
    expect(byDecision).toContainEqual(expect.objectContaining({ StringEquals: 'outreach', Next: 'CreateOutreach' }));
    expect(definition.States.CreateOutreach).toMatchObject({ Next: 'PrepareProposal' });
    expect(actionInput(definition.States.PrepareProposal!)).toMatchObject({ template: 'no-contact-proposal', 'reason.$': '$.decision.cycle' });
    for (const end of ['SendProposal', 'ProposalCancelled', 'ProposalExpired', 'ProposalFailed']) expect(definition.States[end], end).toMatchObject({ Next: 'HandOver' });
    expect(definition.States.ByProposalAction).toMatchObject({ Default: 'HandOver' });
    expect(definition.States.RequestProposalApproval!.Catch![0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'ProposalExpired' });
  });
});

describe('no-contact: failures', () => {
  it('given the re-check failing for good at the first wake-up, then a manual follow-up and a failed execution; the next call resumes the check and the outreach comes 91 days after it', async () => {
    const report = await run(
      // 1 call and 4 retries of the first wake-up fail.
      { start: START, accounts: [parisAccount()], events: [touchpoint(CALL), touchpoint('2026-12-28T11:00:00+01:00')] },
      failsFor('recheck-no-contact', 1, 5),
    );
    expect(checkExecutions(report).filter((execution) => execution.status === 'FAILED')).toEqual([
      expect.objectContaining({ error: 'AutomationFailed', stoppedAt: expect.stringMatching(/^2026-12-16T10:0/) }),
    ]);
    // 28 December + 91 days: Easter Monday 29 March 2027, so Tuesday 30 March.
    expect(tasksOf(report).map(([kind, createdAt]) => [kind, createdAt.slice(0, 10)])).toEqual([
      ['manual-follow-up', '2026-12-16'],
      ['no-contact-outreach', '2027-03-30'],
      ['no-contact-reminder', '2027-04-06'],
    ]);
  });

  it('given the outreach task failing for good, then a manual follow-up, and the next CRM update resumes the check where it was: the reminder a week after the outreach, no second outreach', async () => {
    const createTaskFails: FunctionInterceptor = (id, input, call) =>
      id === 'create-task' && (input as { kind: string }).kind === 'no-contact-outreach' ? Promise.reject(new Throttled('Rate exceeded')) : call();
    const report = await run(
      { start: START, accounts: [parisAccount()], events: [touchpoint(CALL), accountUpdated('2027-02-16T10:00:00+01:00', { mrr: 990 })] },
      createTaskFails,
    );
    // The follow-up comes after the retries (seconds); the reminder at 09:00.
    expect(tasksOf(report).map(([kind, createdAt]) => [kind, createdAt.slice(0, 16)])).toEqual([
      ['manual-follow-up', '2027-02-15T09:00'],
      ['no-contact-reminder', '2027-02-22T09:00'],
    ]);
    expect(checkTasks(report)[0]).toMatchObject({ title: expect.stringContaining('Automated step failed') });
  });

  it('given the re-check’s answer lost after it wrote its decision (the step retried), then the same decision: one hand-over, one execution per generation', async () => {
    let lost = false;
    const answerLostOnce: FunctionInterceptor = async (id, _input, call) => {
      const result = await call();
      if (id === 'recheck-no-contact' && !lost) {
        lost = true;
        throw new Throttled('Rate exceeded');
      }
      return result;
    };
    const report = await run({ start: START, accounts: [parisAccount()], events: [touchpoint(CALL)] }, answerLostOnce);
    const names = checkExecutions(report).map((execution) => execution.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => name.endsWith('-1'))).toHaveLength(1);
    expect(tasksOf(report).map(([kind]) => kind)).toEqual(['no-contact-outreach', 'no-contact-reminder']);
  });

  it('given the start failing for good (not a missing account), then a manual follow-up for that event and a failed execution', async () => {
    const report = await run({ start: START, accounts: [parisAccount()], events: [touchpoint(CALL, { eventId: 'evt-call-x' })] }, failsFor('start-no-contact-check', 1, 5));
    expect(checkExecutions(report)).toEqual([expect.objectContaining({ status: 'FAILED', error: 'AutomationFailed' })]);
    expect(checkTasks(report)).toEqual([expect.objectContaining({ kind: 'manual-follow-up', createdAt: expect.stringMatching(/^2026-11-16T10:00:/) })]);
  });
});
