import { describe, expect, it } from 'vitest';
import type { TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import { applyDecision } from '../../functions/decide-approval/decide-approval.ts';
import { planApproval } from '../../functions/approvals/plan-approval.ts';
import { requestApproval } from '../../functions/approvals/request-approval.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { depsAt, failureOf, FRIDAY_MORNING, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// plan-approval and request-approval against a real DynamoDB API (dynalite): what makes a Lambda
// retry or a redelivered event find the approval the first call recorded is the conditional write.
useLocalLedger('cs-playbooks-approval-functions-test');

/** Records what a function resumed itself (request-approval on an approval decided already). */
function recordingCallbacks() {
  const resumed: { token: string; output: unknown }[] = [];
  const callbacks: TaskCallbacks = {
    sendTaskSuccess: async (token, output) => void resumed.push({ token, output }),
    sendTaskFailure: async () => {
      throw new Error('not expected');
    },
  };
  return { resumed, callbacks };
}

const request = (accountId: string, executionId: string, taskToken: string, reason = 'evt-nps-42') => ({
  accountId,
  playbook: 'nps-response',
  kind: 'email',
  template: 'review-request',
  reason,
  proposal: { to: 'clara.petit@example.com', language: 'fr', subject: 'Un avis sur G2 ?', text: 'Bonjour Clara, …' },
  expiresAt: '2026-11-20T18:00:00+01:00',
  executionId,
  taskToken,
});

describe('plan-approval: the window a Task state cannot read from the settings', () => {
  it('given a Friday 10:00 request in Paris and approvalWindowDays 5, then it expires the next Friday at 18:00, and the Task may wait exactly until then', async () => {
    const account = await givenAnAccount('plan');
    const plan = await invoke(planApproval, depsAt(FRIDAY_MORNING), { accountId: account.id, playbook: 'nps-response', kind: 'email', reason: 'evt-1' });
    expect(plan).toMatchObject({ expiresAt: '2026-11-20T18:00:00+01:00', timeoutSeconds: 7 * 86_400 + 8 * 3_600, status: 'new' });
  });

  it('given the approval exists already (a redelivery two days later), then its expiry stands and the Task waits only what is left of it', async () => {
    const account = await givenAnAccount('plan-again');
    const deps = { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() };
    const first = await invoke(planApproval, deps, { accountId: account.id, playbook: 'nps-response', kind: 'email', reason: 'evt-1' });
    await invoke(requestApproval, deps, { ...request(account.id, 'exec-1', 'token-1', 'evt-1'), expiresAt: first.expiresAt });

    const later = new Date('2026-11-17T10:00:00+01:00');
    const again = await invoke(planApproval, depsAt(later), { accountId: account.id, playbook: 'nps-response', kind: 'email', reason: 'evt-1' });
    expect(again).toEqual({ approvalId: first.approvalId, expiresAt: first.expiresAt, timeoutSeconds: 3 * 86_400 + 8 * 3_600, status: 'pending' });
  });
});

describe('request-approval: parks an execution on the approval, once per account + playbook + kind + reason', () => {
  it('given an account, when an execution asks, then one pending approval holds its token, and the CSM has an email-approval task saying until when and how to decide', async () => {
    const account = await givenAnAccount('request');
    const result = await invoke(requestApproval, { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() }, request(account.id, 'exec-1', 'token-1'));

    const { approval } = await ledger.getApproval(result.approvalId);
    expect(approval).toMatchObject({ status: 'pending', requestedAt: '2026-11-13T10:00:00+01:00', expiresAt: '2026-11-20T18:00:00+01:00', taskId: result.taskId });
    expect(approval!.waiters).toEqual({ 'exec-1': { token: 'token-1', since: '2026-11-13T10:00:00+01:00', state: 'waiting' } });
    const tasks = await ledger.scan<{ id: string; accountId: string; kind: string; dueAt: string; details: string }>('task');
    const task = tasks.find((t) => t.id === result.taskId)!;
    expect(task).toMatchObject({ kind: 'email-approval', dueAt: '2026-11-13T18:00:00+01:00' });
    expect(task.details).toContain('until 2026-11-20T18:00:00+01:00');
    expect(task.details).toContain(`POST /approvals/${result.approvalId}`);
    expect(task.details).toContain('Subject: Un avis sur G2 ?');
  });

  it('given the Lambda is retried for the same execution with a new token, then no second approval nor task: the execution’s token is replaced', async () => {
    const account = await givenAnAccount('retry');
    const deps = { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() };
    const first = await invoke(requestApproval, deps, request(account.id, 'exec-1', 'token-1'));
    const retried = await invoke(requestApproval, deps, request(account.id, 'exec-1', 'token-2'));

    expect(retried).toMatchObject({ approvalId: first.approvalId, taskId: first.taskId, created: false });
    expect(first.created).toBe(true);
    const approvals = (await ledger.scan<{ approval: { id: string; accountId: string } }>('approval')).filter((a) => a.approval.accountId === account.id);
    expect(approvals).toHaveLength(1);
    expect((await ledger.getApproval(first.approvalId)).approval!.waiters).toEqual({ 'exec-1': expect.objectContaining({ token: 'token-2', state: 'waiting' }) });
    const tasks = (await ledger.scan<{ accountId: string; kind: string }>('task')).filter((t) => t.accountId === account.id && t.kind === 'email-approval');
    expect(tasks).toHaveLength(1);
  });

  it('given a redelivered event (another execution), then both executions wait on the one approval', async () => {
    const account = await givenAnAccount('redelivery');
    const deps = { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() };
    const { approvalId } = await invoke(requestApproval, deps, request(account.id, 'exec-1', 'token-1'));
    await invoke(requestApproval, deps, request(account.id, 'exec-2', 'token-2'));
    expect(Object.keys((await ledger.getApproval(approvalId)).approval!.waiters).sort()).toEqual(['exec-1', 'exec-2']);
  });

  it('given the approval was decided before a redelivered event asks again, then that execution is resumed at once with the recorded decision', async () => {
    const account = await givenAnAccount('decided');
    const { resumed, callbacks } = recordingCallbacks();
    const deps = { ...depsAt(FRIDAY_MORNING), callbacks };
    const { approvalId } = await invoke(requestApproval, deps, request(account.id, 'exec-1', 'token-1'));
    await applyDecision({ approvalId, decision: 'approve', edits: { subject: 'Votre avis ?' }, decidedBy: 'csm-camille' }, { ledger, callbacks, now: () => FRIDAY_MORNING });

    const again = await invoke(requestApproval, deps, request(account.id, 'exec-2', 'token-2'));

    expect(again.status).toBe('approved');
    expect(resumed.map((r) => r.token)).toEqual(['token-1', 'token-2']);
    expect(resumed[1]!.output).toEqual(resumed[0]!.output);
    expect(resumed[1]!.output).toMatchObject({ decision: 'approved', proposal: { subject: 'Votre avis ?' } });
  });

  it('given an account the ledger does not know, then AccountNotFound (retried by the Task, then a manual follow-up)', async () => {
    const error = await failureOf(() => invoke(requestApproval, { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() }, request('acc-unknown', 'exec-1', 'token-1')));
    expect(error.name).toBe('AccountNotFound');
  });
});
