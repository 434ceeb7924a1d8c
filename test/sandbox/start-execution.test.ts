import { describe, expect, it } from 'vitest';
import { drive, touchpoint } from '../support/no-contact.ts';
import { parisAccount } from '../support/scenario.ts';

// The sandbox's `arn:aws:states:::states:startExecution` (request-response) as Step Functions answers
// it for a Standard workflow: by the state machine's ARN, names unique per state machine, the same name
// and input while that execution runs answered with it again, ExecutionAlreadyExists otherwise. Probed
// with a small definition deployed in place of no-contact (the only playbook that starts executions).

const startChild = (name: string, input: Record<string, unknown>, next: string, onAlreadyExists?: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::states:startExecution',
  Parameters: { StateMachineArn: '${NoContactStateMachineArn}', Name: name, Input: input },
  ResultPath: null,
  ...(onAlreadyExists ? { Catch: [{ ErrorEquals: ['StepFunctions.ExecutionAlreadyExistsException'], ResultPath: null, Next: onAlreadyExists }] } : {}),
  Next: next,
});
const CHILD_INPUT = { check: { 'accountId.$': '$.detail.accountId' } };

const PROBE = JSON.stringify({
  StartAt: 'Route',
  TimeoutSeconds: 864_000,
  States: {
    Route: { Type: 'Choice', Choices: [{ Variable: '$.check', IsPresent: true, Next: 'Child' }], Default: 'BadName' },
    BadName: {
      ...startChild('not a valid name!', CHILD_INPUT, 'Unexpected'),
      Catch: [{ ErrorEquals: ['StepFunctions.InvalidNameException'], ResultPath: null, Next: 'Start' }],
    },
    Start: startChild('probe-child', CHILD_INPUT, 'StartAgain'),
    // Same name, same input, the child still running: answered with the child, no second execution.
    StartAgain: startChild('probe-child', CHILD_INPUT, 'OtherInput'),
    // Same name, another input: refused.
    OtherInput: startChild('probe-child', { check: { 'accountId.$': '$.detail.accountId', other: true } }, 'Unexpected', 'WaitForChildToEnd'),
    WaitForChildToEnd: { Type: 'Wait', Seconds: 172_800, Next: 'StartAfterEnd' },
    // Same name and input, the child ended: refused too.
    StartAfterEnd: startChild('probe-child', CHILD_INPUT, 'Unexpected', 'Done'),
    Done: { Type: 'Succeed' },
    Unexpected: { Type: 'Fail', Error: 'Unexpected' },
    Child: { Type: 'Wait', Seconds: 86_400, Next: 'ChildDone' },
    ChildDone: { Type: 'Succeed' },
  },
});

describe('the sandbox’s StartExecution integration', () => {
  it('given a definition that starts an execution by name, then one execution per name: the same name and input while it runs is answered with it, anything else is ExecutionAlreadyExists (or InvalidName), all catchable', async () => {
    let probe = '';
    const { executions, stop } = await drive({
      start: '2026-11-16T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [touchpoint('2026-11-16T10:00:00+01:00')],
      at: [{ at: '2026-11-16T08:30:00+01:00', action: async (sandbox) => (probe = await sandbox.redeploy('no-contact', PROBE)) }],
    });
    try {
      const started = executions.filter((execution) => execution.playbook === 'no-contact');
      expect(started.map((execution) => [execution.name, execution.accountId, execution.status, execution.revision])).toEqual([
        ['no-contact-0002', 'acc-paris', 'SUCCEEDED', probe],
        ['probe-child', 'acc-paris', 'SUCCEEDED', probe],
      ]);
      // Started on the sandbox's clock, at the instant the task ran; waited its day there.
      expect(started[1]!.startedAt).toBe(Date.parse('2026-11-16T10:00:00+01:00'));
      expect(started[1]!.stoppedAt).toBe(Date.parse('2026-11-17T10:00:00+01:00'));
    } finally {
      await stop();
    }
  });
});
