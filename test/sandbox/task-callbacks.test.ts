import { describe, expect, it } from 'vitest';
import { TaskOutputRefused, TaskTokenGone, type TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import { applyDecision } from '../../functions/decide-approval/decide-approval.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { CallbackRegistry, SandboxStopped } from '../../sandbox/runtime/callbacks.ts';

// The sandbox's task tokens, answering as Step Functions does.

const registry = () => {
  const clock = new VirtualClock(Date.parse('2026-11-16T09:00:00Z'));
  let n = 0;
  return { clock, callbacks: new CallbackRegistry(clock, () => `token-${++n}`) };
};

describe('the sandbox task tokens', () => {
  it('given a parked Task, when SendTaskSuccess arrives, then it resumes with a copy of the output, and the token then answers TaskTimedOut', async () => {
    const { callbacks } = registry();
    const { token, result } = callbacks.park('exec-1', 'RequestApproval');
    const output = { decision: 'approved' };

    await callbacks.sendTaskSuccess(token, output);

    const resumed = await result;
    expect(resumed).toEqual(output);
    expect(resumed).not.toBe(output);
    await expect(callbacks.sendTaskSuccess(token, output)).rejects.toEqual(new TaskTokenGone('TaskTimedOut'));
    await expect(callbacks.sendTaskSuccess('never-issued', output)).rejects.toEqual(new TaskTokenGone('InvalidToken'));
  });

  it('given an output over 256 KB, then InvalidOutput and the Task still waits', async () => {
    const { callbacks } = registry();
    const { token } = callbacks.park('exec-1', 'RequestApproval');
    await expect(callbacks.sendTaskSuccess(token, { text: 'x'.repeat(256 * 1024) })).rejects.toBeInstanceOf(TaskOutputRefused);
    expect(callbacks.pending().map((p) => p.token)).toEqual([token]);
  });

  it('given SendTaskFailure, then the Task fails with that error name and cause (what Retry and Catch match)', async () => {
    const { callbacks } = registry();
    const { token, result } = callbacks.park('exec-1', 'RequestApproval');
    await callbacks.sendTaskFailure(token, 'ApprovalUndeliverable', 'why');
    await expect(result).rejects.toMatchObject({ name: 'ApprovalUndeliverable', message: 'why' });
  });

  it('given HeartbeatSeconds 60, then a heartbeat within the minute keeps the Task alive and silence fails it with States.HeartbeatTimeout', async () => {
    const { clock, callbacks } = registry();
    const { token, result } = callbacks.park('exec-1', 'RequestApproval', 60);
    clock.advanceTo(clock.now() + 50_000);
    await callbacks.sendTaskHeartbeat(token);
    clock.advanceTo(clock.now() + 50_000);
    expect(callbacks.pending()).toHaveLength(1);
    clock.advanceTo(clock.now() + 10_000);
    await expect(result).rejects.toMatchObject({ name: 'States.HeartbeatTimeout' });
    await expect(callbacks.sendTaskHeartbeat(token)).rejects.toEqual(new TaskTokenGone('TaskTimedOut'));
  });

  it('given a retry parked its next attempt before the event log reported the end of the first, then only the first attempt’s token is closed', async () => {
    const { callbacks } = registry();
    const first = callbacks.park('exec-1', 'RequestApproval');
    const second = callbacks.park('exec-1', 'RequestApproval');
    callbacks.attemptEnded('exec-1', 'RequestApproval');

    await expect(callbacks.sendTaskSuccess(first.token, {})).rejects.toEqual(new TaskTokenGone('TaskTimedOut'));
    await callbacks.sendTaskSuccess(second.token, { decision: 'approved' });
    await expect(second.result).resolves.toEqual({ decision: 'approved' });
  });

  it('given the Task attempt ended without a callback (timed out), then its token is closed; stop fails what still waits and leaves no timer', async () => {
    const { clock, callbacks } = registry();
    const first = callbacks.park('exec-1', 'RequestApproval');
    const second = callbacks.park('exec-2', 'RequestApproval', 3_600);
    callbacks.attemptEnded('exec-1', 'RequestApproval');
    await expect(callbacks.sendTaskSuccess(first.token, {})).rejects.toEqual(new TaskTokenGone('TaskTimedOut'));

    callbacks.stop();
    await expect(second.result).rejects.toBeInstanceOf(SandboxStopped);
    expect(clock.pendingTimers()).toBe(0);
    expect(() => callbacks.park('exec-3', 'RequestApproval')).toThrow(SandboxStopped);
  });
});

describe('a decision Step Functions refuses as output (InvalidOutput)', () => {
  it('given SendTaskSuccess answers InvalidOutput, then the Task is failed with ApprovalUndeliverable instead of left to expire', async () => {
    const calls: string[] = [];
    const callbacks: TaskCallbacks = {
      sendTaskSuccess: async () => {
        calls.push('success');
        throw new TaskOutputRefused();
      },
      sendTaskFailure: async (_token, error) => void calls.push(`failure ${error}`),
    };
    const record = {
      id: 'apr-00000000000000000002',
      accountId: 'acc-1',
      playbook: 'nps-response',
      kind: 'email' as const,
      template: 'review-request',
      reason: 'evt-2',
      proposal: { subject: 'S', text: 'T' },
      status: 'pending' as const,
      timezone: 'Europe/Paris',
      requestedAt: '2026-11-16T10:00:00+01:00',
      expiresAt: '2026-11-23T18:00:00+01:00',
      taskId: 'tsk-2',
      waiters: { 'exec-1': { token: 't', since: '2026-11-16T10:00:00+01:00', state: 'waiting' as const } },
    };
    let stored = { approval: record as typeof record & Record<string, unknown>, version: 1 };
    const ledger = {
      getApproval: async () => stored,
      writeApproval: async (approval: typeof record, version: number) => void (stored = { approval, version: version + 1 }),
    };

    const answer = await applyDecision(
      { approvalId: record.id, decision: 'approve', decidedBy: 'csm-camille' },
      { ledger: ledger as never, callbacks, now: () => new Date('2026-11-17T09:00:00+01:00') },
    );

    expect(calls).toEqual(['success', 'failure ApprovalUndeliverable']);
    expect(answer.statusCode).toBe(200);
  });
});
