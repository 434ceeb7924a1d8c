import { describe, expect, it } from 'vitest';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { FAILURE_POLICIES, retryOf, type Retrier } from '../../lib/failure-policies.ts';
import { buildDefinition, playbookDefinition, withParameters } from '../../lib/flow.ts';

// lib/flow.ts: a flow file names a failure policy per Task; the build writes the Retry, the catch-all,
// the side steps and the terminal path, for CDK and the sandbox alike.

type State = Record<string, unknown> & { Retry?: unknown; Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[] };
const build = (flow: object) => JSON.parse(buildDefinition({ id: 'upsell-request' }, JSON.stringify(flow))) as { States: Record<string, State> };

const postAlert = { Type: 'Task', Action: 'post-alert', TimeoutSeconds: 60, Parameters: { 'accountId.$': '$.detail.accountId' }, ResultPath: '$.alert' };
const createTask = { Type: 'Task', Action: 'create-task', TimeoutSeconds: 60, Parameters: { 'accountId.$': '$.detail.accountId' }, ResultPath: '$.task' };

describe('given a Task that names the step policy', () => {
  const { States } = build({ StartAt: 'CreateTask', TimeoutSeconds: 3600, States: { CreateTask: { ...createTask, Policy: 'step', Next: 'Done' }, Done: { Type: 'Succeed' } } });

  it('then its Retry is the policy’s: what no retry mends first, an AWS outage, an account not yet synced, a vendor outage, then anything else briefly', () => {
    expect(States.CreateTask!.Retry).toEqual(retryOf(FAILURE_POLICIES.step));
    expect(States.CreateTask!.Retry).toEqual([
      { ErrorEquals: ['ContractError', 'CallBeyondExecutionLimit', 'EmailTemplateError', 'RangeError', 'VendorRejected', 'VendorMisconfigured', 'AlertNotFound'], MaxAttempts: 0 },
      {
        ErrorEquals: [
          'AwsServiceUnavailable',
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
          'Lambda.TooManyRequestsException',
        ],
        IntervalSeconds: 5,
        BackoffRate: 2,
        MaxAttempts: 20,
        MaxDelaySeconds: 300,
        JitterStrategy: 'FULL',
      },
      { ErrorEquals: ['AccountNotFound'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 6 },
      { ErrorEquals: ['VendorUnavailable'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 8, MaxDelaySeconds: 900, JitterStrategy: 'FULL' },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 4, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
    ]);
    expect(States.CreateTask).not.toHaveProperty('Policy');
  });

  it('then once its retries are spent the CSM gets a manual-follow-up task and the execution fails; if not even that task can be written, the execution fails at it, where a redrive writes it', () => {
    expect(States.CreateTask!.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CreateManualFollowUp' }]);
    expect(States.CreateManualFollowUp).toMatchObject({
      Resource: '${TasksFunctionArn}',
      Parameters: {
        action: 'create-task',
        input: { playbook: 'upsell-request', kind: 'manual-follow-up', ownerRole: 'csm', 'reason.$': "States.Format('{}:{}', $.detail.eventId, $.failure.Error)", 'failure.$': '$.failure' },
      },
      Retry: retryOf(FAILURE_POLICIES['follow-up']),
      Next: 'AutomationFailed',
    });
    expect(States.CreateManualFollowUp).not.toHaveProperty('Catch');
    expect(States.AutomationFailed).toMatchObject({ Type: 'Fail', Error: 'AutomationFailed' });
    expect(Object.keys(States)).toEqual(['CreateTask', 'Done', 'CreateManualFollowUp', 'AutomationFailed']);
  });
});

describe('given a Task whose failure is a side step', () => {
  const { States } = build({
    StartAt: 'PostAlert',
    TimeoutSeconds: 3600,
    States: { PostAlert: { ...postAlert, Policy: 'step', OnFailure: 'PostAlertFailed', Next: 'CreateTask' }, CreateTask: { ...createTask, Policy: 'step', End: true } },
    SideSteps: { PostAlertFailed: { Step: 'Post the upsell request to the alert channel', Next: 'CreateTask' } },
  });

  it('then the CSM gets a manual follow-up naming the step, one per event, step and error, and the playbook goes on', () => {
    expect(States.PostAlert!.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'PostAlertFailed' }]);
    expect(States.PostAlertFailed).toMatchObject({
      Resource: '${TasksFunctionArn}',
      Parameters: {
        action: 'create-task',
        input: { kind: 'manual-follow-up', step: 'Post the upsell request to the alert channel', 'reason.$': "States.Format('{}:PostAlert:{}', $.detail.eventId, $.failure.Error)" },
      },
      ResultPath: null,
      Retry: retryOf(FAILURE_POLICIES['follow-up']),
      Next: 'CreateTask',
    });
  });

  it('then a side step no Task names is refused, and so is a side step that is also a state', () => {
    expect(() => build({ StartAt: 'CreateTask', States: { CreateTask: { ...createTask, Policy: 'step', End: true } }, SideSteps: { PostAlertFailed: { Step: 'x', Next: 'CreateTask' } } })).toThrow(
      'side step PostAlertFailed is named by no Task',
    );
    expect(() => build({ StartAt: 'CreateTask', States: { CreateTask: { ...createTask, Policy: 'step', OnFailure: 'CreateTask', End: true } }, SideSteps: { CreateTask: { Step: 'x', Next: 'CreateTask' } } })).toThrow(
      'side step CreateTask is also a state of the flow',
    );
  });
});

describe('given a Task that names its action', () => {
  const approval = { 'accountId.$': '$.detail.accountId', 'taskToken.$': '$$.Task.Token' };
  const { States } = build({
    StartAt: 'CreateTask',
    States: {
      CreateTask: { ...createTask, Policy: 'step', Next: 'PlanFirstReply' },
      PlanFirstReply: { Type: 'Task', Action: 'plan-first-reply', InputPath: '$.detail', TimeoutSeconds: 60, ResultSelector: { 'dueAt.$': '$.dueAt' }, ResultPath: '$.firstReply', Policy: 'step', Next: 'RequestApproval' },
      RequestApproval: { Type: 'Task', Action: 'request-approval', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSeconds: 600, Parameters: approval, Policy: 'callback', End: true },
    },
  });

  it("then it calls its domain's function with { action, input: what the file's Parameters pass }, the Resource written where the file names the action", () => {
    expect(Object.keys(States.CreateTask!).slice(0, 3)).toEqual(['Type', 'Resource', 'TimeoutSeconds']);
    expect(States.CreateTask).toMatchObject({ Resource: '${TasksFunctionArn}', Parameters: { action: 'create-task', input: createTask.Parameters }, ResultPath: '$.task' });
    expect(States.CreateTask).not.toHaveProperty('Action');
  });

  it('then a Task that writes no Parameters passes its whole input (after its InputPath) as the input, and its ResultSelector and ResultPath stay as written', () => {
    expect(States.PlanFirstReply).toMatchObject({
      Resource: '${FeedbackFunctionArn}',
      Parameters: { action: 'plan-first-reply', 'input.$': '$' },
      InputPath: '$.detail',
      ResultSelector: { 'dueAt.$': '$.dueAt' },
      ResultPath: '$.firstReply',
    });
  });

  it('then a Task that waits for a task token invokes the domain function with the same request as its Payload, the token inside the input', () => {
    expect(States.RequestApproval).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: '${ApprovalsFunctionArn}', Payload: { action: 'request-approval', input: approval } },
    });
    expect(States.RequestApproval).not.toHaveProperty('Action');
  });

  it('then an action the catalog does not have, an action beside a Resource that is not the callback integration, or an action on another state is refused', () => {
    expect(() => build({ StartAt: 'A', States: { A: { ...createTask, Action: 'create-tasks', Policy: 'step', End: true } } })).toThrow(
      'Task A calls "create-tasks", which is no action of the catalog',
    );
    expect(() => build({ StartAt: 'A', States: { A: { ...createTask, Resource: 'arn:aws:states:::lambda:invoke', Policy: 'step', End: true } } })).toThrow(
      'Task A calls "create-task" and names the Resource "arn:aws:states:::lambda:invoke"',
    );
    expect(() => build({ StartAt: 'A', States: { A: { Type: 'Pass', Action: 'create-task', End: true } } })).toThrow('A is a Pass state: only a Task calls an action');
  });
});

describe('given a Task that catches some errors itself', () => {
  it('then its Catches come first and the catch-all last: a callback’s timeout is an answer, not a failure', () => {
    const { States } = build({
      StartAt: 'Await',
      States: {
        Await: { ...createTask, Policy: 'callback', NotRetried: ['ApprovalUndeliverable'], Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.expiry', Next: 'Expired' }], End: true },
        Expired: { Type: 'Succeed' },
      },
    });
    expect(States.Await!.Catch!.map((catcher) => catcher.ErrorEquals[0])).toEqual(['States.Timeout', 'States.ALL']);
    const retry = States.Await!.Retry as { ErrorEquals: string[] }[];
    const [never, last] = [retry[0], retry.at(-1)];
    expect(never!.ErrorEquals).toEqual(expect.arrayContaining(['States.Timeout', 'ApprovalUndeliverable', 'VendorRejected']));
    expect(last!.ErrorEquals).toEqual(['States.TaskFailed']);
  });
});

describe('given a flow that breaks the rules', () => {
  it('when a Task names a policy and writes a Retry too, then it is refused: the copy would drift', () => {
    expect(() => build({ StartAt: 'A', States: { A: { ...createTask, Policy: 'step', Retry: [], End: true } } })).toThrow('Task A writes a Retry and follows "step"');
  });

  it('when a Task names a policy that does not exist, then it is refused with the policies there are', () => {
    expect(() => build({ StartAt: 'A', States: { A: { ...createTask, Policy: 'patient', End: true } } })).toThrow(
      'follows "patient", which is no failure policy (one of step, follow-up, callback, hand-over, stage-job, refund-request)',
    );
  });

  it('when a Task inside a Map names no catch of its own, then it is refused: the terminal path is at the top level', () => {
    const map = { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'A', States: { A: { ...createTask, Policy: 'step', End: true } } }, End: true };
    expect(() => build({ StartAt: 'M', States: { M: map } })).toThrow('Task A is inside a Map');
  });
});

describe('given a catalog flow as committed (what CDK and the sandbox build)', () => {
  it('when a Task names no policy, then the build refuses it: it would deploy with no Retry and no Catch', () => {
    const flow = JSON.stringify({ StartAt: 'A', States: { A: { ...createTask, End: true } } });
    expect(() => buildDefinition({ id: 'upsell-request' }, flow, 'flow.asl.json', { requirePolicy: true })).toThrow('Task A names no failure policy');
    expect(() => buildDefinition({ id: 'upsell-request' }, flow)).not.toThrow(); // plain ASL, e.g. a rehearsal's edited definition
  });

  it('when it has a Parallel state, then the build refuses it: it writes policies into a Map’s ItemProcessor only', () => {
    const flow = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { ...createTask, Policy: 'step', End: true } } }], End: true } } };
    expect(() => build(flow)).toThrow('P is a Parallel state');
  });
});

describe('given a flow shared by playbooks, with each one’s parameters', () => {
  const flow = '{ "Comment": "${Request} for ${Playbook}" }';

  it('then each placeholder takes the playbook’s value, its id as ${Playbook}, whatever the parameters say', () => {
    expect(withParameters(flow, { Request: 'hardware order', Playbook: 'hardware-order' })).toBe('{ "Comment": "hardware order for hardware-order" }');
  });

  it('then a value that would be read as syntax, a key that would replace an ARN, or a parameter the flow never uses is refused', () => {
    expect(() => withParameters(flow, { Request: '${OpenRiskFunctionArn}', Playbook: 'x' })).toThrow('parameter Request may not contain');
    expect(() => withParameters(flow, { Request: "the client's order", Playbook: 'x' })).toThrow('parameter Request may not contain');
    expect(() => withParameters(flow, { Request: 'r', CreateTaskFunctionArn: 'arn', Playbook: 'x' })).toThrow('parameter CreateTaskFunctionArn would replace an ARN');
    expect(() => withParameters(flow, { Request: 'r', OwnerRole: 'csm', Playbook: 'x' })).toThrow('parameter OwnerRole is used nowhere in the flow');
  });
});

describe('every catalog playbook', () => {
  it.each(PLAYBOOKS.map((playbook) => [playbook.id, playbook] as const))('%s: built once more, its definition is unchanged (plain ASL passes through)', (_id, playbook) => {
    const built = playbookDefinition(playbook);
    expect(buildDefinition(playbook, built)).toBe(built);
  });
});

/** The longest a Task can wait out one cause of failure: its longest retrier's back-offs, each attempt up to its timeout. */
function longestWait(retry: readonly Retrier[], attemptSeconds: number): number {
  return Math.max(
    ...retry.map(({ MaxAttempts = 3, IntervalSeconds = 1, BackoffRate = 2, MaxDelaySeconds = Number.POSITIVE_INFINITY }) =>
      Array.from({ length: MaxAttempts }, (_, attempt) => Math.min(IntervalSeconds * BackoffRate ** attempt, MaxDelaySeconds)).reduce((sum, delay) => sum + delay, attemptSeconds * (MaxAttempts + 1)),
    ),
  );
}

describe('every catalog playbook, built', () => {
  it.each(PLAYBOOKS.map((playbook) => [playbook.id, playbook] as const))('%s: the execution outlives its longest outage twice over (the step’s, then its follow-up’s): a failed step always reaches its manual follow-up', (_id, playbook) => {
    const definition = JSON.parse(playbookDefinition(playbook)) as { TimeoutSeconds: number; States: Record<string, { Type: string; Retry?: Retrier[]; TimeoutSeconds?: number }> };
    const tasks = Object.values(definition.States).filter((state) => state.Type === 'Task' && state.Retry);
    const longest = Math.max(...tasks.map((task) => longestWait(task.Retry!, typeof task.TimeoutSeconds === 'number' ? Math.min(task.TimeoutSeconds, 60) : 60)));
    expect(definition.TimeoutSeconds).toBeGreaterThanOrEqual(2 * longest);
  });
});

describe('every policy', () => {
  it.each(Object.entries(FAILURE_POLICIES))('%s: an AWS outage is waited out, jittered, and almost never for less than 15 minutes', (_name, policy) => {
    const aws = retryOf(policy).find((retrier) => retrier.ErrorEquals.includes('AwsServiceUnavailable'))!;
    expect(aws.JitterStrategy).toBe('FULL');
    const ceilings = Array.from({ length: aws.MaxAttempts! }, (_, attempt) => Math.min(aws.IntervalSeconds! * aws.BackoffRate! ** attempt, aws.MaxDelaySeconds!));
    // FULL jitter draws each wait in [0, ceiling]: the mean is half the ceilings' sum; 15 minutes must
    // hold well below the mean (four standard deviations of the sum of uniform draws).
    const mean = ceilings.reduce((sum, c) => sum + c, 0) / 2;
    const deviation = Math.sqrt(ceilings.reduce((sum, c) => sum + (c * c) / 12, 0));
    expect(mean - 4 * deviation).toBeGreaterThan(15 * 60);
  });
});
