import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSettings, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from '../support/scenario.ts';

// The sandbox calls a domain's function as Step Functions calls the deployed one: with the request the
// Task state built, which the domain's router (functions/runtime/action-router.ts, the Lambda's own)
// dispatches. Probed with a definition redeployed in place of task-completed, whose Tasks call the tasks
// function: one names an action of another domain, one sends no `{ action, input }` at all.

const AT = '2026-11-16T10:00:00+01:00';
const refusedBy = (next: string) => [{ ErrorEquals: ['ContractError'], ResultPath: '$.refused', Next: next }];

const PROBE = JSON.stringify({
  StartAt: 'AskTasksToPostAnAlert',
  TimeoutSeconds: 3600,
  States: {
    AskTasksToPostAnAlert: {
      Type: 'Task',
      Resource: '${TasksFunctionArn}',
      Parameters: { action: 'post-alert', input: { 'accountId.$': '$.detail.accountId', type: 'churn-risk', playbook: 'task-completed', 'reason.$': '$.detail.eventId' } },
      ResultPath: '$.alert',
      Catch: refusedBy('RememberOtherDomain'),
      Next: 'Unexpected',
    },
    RememberOtherDomain: { Type: 'Pass', InputPath: '$.refused', ResultPath: '$.otherDomain', Next: 'CallWithoutAction' },
    CallWithoutAction: { Type: 'Task', Resource: '${TasksFunctionArn}', Parameters: { 'taskId.$': '$.detail.taskId' }, ResultPath: '$.result', Catch: refusedBy('Refused'), Next: 'Unexpected' },
    Refused: { Type: 'Succeed' },
    Unexpected: { Type: 'Fail', Error: 'Unexpected' },
  },
});

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await Sandbox.start({ clock: new VirtualClock(Date.parse(AT)), settings: resolveSettings(), deterministicIds: true });
  await sandbox.importAccounts([parisAccount()]);
});

afterEach(() => sandbox.stop());

describe("the sandbox's domain functions", () => {
  it("given a Task that asks the tasks function for another domain's action, or sends it no { action, input }, then the router refuses it with a ContractError, as the deployed function does, and no action runs", async () => {
    await sandbox.redeploy('task-completed', PROBE);
    sandbox.publish({ type: 'TaskCompleted', timestamp: AT, data: { eventId: 'evt-router-probe', accountId: 'acc-paris', taskId: 'task-1', at: AT } } as unknown as DomainEventMessage);
    await sandbox.settled();

    const [execution] = sandbox.executions.filter((e) => e.playbook === 'task-completed');
    expect(execution?.status).toBe('SUCCEEDED');
    const { otherDomain, refused } = execution!.output as { otherDomain: { Error: string; Cause: string }; refused: { Error: string; Cause: string } };
    expect(otherDomain.Error).toBe('ContractError');
    expect(JSON.parse(otherDomain.Cause)).toMatchObject({
      errorType: 'ContractError',
      errorMessage: 'tasks request is invalid: action "post-alert" is not one of the tasks domain\'s (create-task, complete-task, find-open-tasks)',
    });
    expect(refused.Error).toBe('ContractError');
    expect(JSON.parse(refused.Cause)).toMatchObject({ errorMessage: expect.stringMatching(/^tasks request is invalid: /) });
    // The router refused before any body ran: no DynamoDB call was made on any action's behalf.
    expect(sandbox.tableActions.size).toBe(0);
  });
});
