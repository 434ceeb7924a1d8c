import { describe, expect, it } from 'vitest';
import type { TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { applyDecision } from '../../functions/decide-approval/decide-approval.ts';
import { prepareEmail } from '../../functions/emails/prepare-email.ts';
import { offerApproval } from '../../functions/approvals/offer-approval.ts';
import { planApproval } from '../../functions/approvals/plan-approval.ts';
import { requestApproval } from '../../functions/approvals/request-approval.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { depsAt, failureOf, FRIDAY_MORNING, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// plan-approval, offer-approval and request-approval against a real DynamoDB API (dynalite): what
// makes a Lambda retry or a redelivered event find the approval the first call recorded is the
// conditional write; what they show the CSM is read from the draft prepare-email recorded.
useLocalLedger('cs-playbooks-approval-functions-test');

/** The review request in approval mode: prepare-email records its draft, naming the approval. */
const approvalSettings = resolveSettings({ nps: { reviewUrl: 'https://reviews.example.com/cs', reviewSite: 'G2', reviewRequestMode: 'approval' } });
async function draftOf(accountId: string, reason = 'evt-nps-42', playbook = 'nps-response'): Promise<string> {
  const email = await invoke(prepareEmail, depsAt(FRIDAY_MORNING, approvalSettings), { accountId, playbook, template: 'review-request', reason, contactId: 'ct-tom' });
  if (email.action !== 'ask-approval') throw new Error(`expected a draft put up for approval, got ${email.action}`);
  return email.emailId;
}

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

const request = async (accountId: string, executionId: string, taskToken: string, reason = 'evt-nps-42') => ({
  accountId,
  playbook: 'nps-response',
  kind: 'email',
  reason,
  emailId: await draftOf(accountId, reason),
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
    await invoke(requestApproval, deps, { ...(await request(account.id, 'exec-1', 'token-1', 'evt-1')), expiresAt: first.expiresAt });

    const later = new Date('2026-11-17T10:00:00+01:00');
    const again = await invoke(planApproval, depsAt(later), { accountId: account.id, playbook: 'nps-response', kind: 'email', reason: 'evt-1' });
    expect(again).toEqual({ approvalId: first.approvalId, expiresAt: first.expiresAt, timeoutSeconds: 3 * 86_400 + 8 * 3_600, status: 'pending' });
  });
});

describe('request-approval: parks an execution on the approval, once per account + playbook + kind + reason', () => {
  it('given an account, when an execution asks, then one pending approval of the draft holds its token, and the CSM has an email-approval task saying until when and how to decide, showing the e-mail', async () => {
    const account = await givenAnAccount('request');
    const result = await invoke(requestApproval, { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() }, await request(account.id, 'exec-1', 'token-1'));

    const { approval } = await ledger.getApproval(result.approvalId);
    const input = await request(account.id, 'exec-1', 'token-1');
    const draft = (await ledger.getEmail(account.id, input.emailId))!;
    expect(approval).toMatchObject({ status: 'pending', template: 'review-request', emailId: input.emailId, requestedAt: '2026-11-13T10:00:00+01:00', expiresAt: '2026-11-20T18:00:00+01:00', taskId: result.taskId });
    expect(approval!.waiters).toEqual({ 'exec-1': { token: 'token-1', since: '2026-11-13T10:00:00+01:00', state: 'waiting' } });
    const tasks = await ledger.scan<{ id: string; accountId: string; kind: string; dueAt: string; details: string }>('task');
    const task = tasks.find((t) => t.id === result.taskId)!;
    expect(task).toMatchObject({ kind: 'email-approval', dueAt: '2026-11-13T18:00:00+01:00' });
    expect(task.details).toContain('until 2026-11-20T18:00:00+01:00');
    expect(task.details).toContain(`POST /approvals/${result.approvalId}`);
    expect(task.details).toContain(`To: tom.durand@example.com\nSubject: ${draft.subject}\n\n${draft.text}`);
  });

  it('given the Lambda is retried for the same execution with a new token, then no second approval nor task: the execution’s token is replaced', async () => {
    const account = await givenAnAccount('retry');
    const deps = { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() };
    const first = await invoke(requestApproval, deps, await request(account.id, 'exec-1', 'token-1'));
    const retried = await invoke(requestApproval, deps, await request(account.id, 'exec-1', 'token-2'));

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
    const { approvalId } = await invoke(requestApproval, deps, await request(account.id, 'exec-1', 'token-1'));
    await invoke(requestApproval, deps, await request(account.id, 'exec-2', 'token-2'));
    expect(Object.keys((await ledger.getApproval(approvalId)).approval!.waiters).sort()).toEqual(['exec-1', 'exec-2']);
  });

  it('given the approval was decided before a redelivered event asks again, then that execution is resumed at once with the recorded decision', async () => {
    const account = await givenAnAccount('decided');
    const { resumed, callbacks } = recordingCallbacks();
    const deps = { ...depsAt(FRIDAY_MORNING), callbacks };
    const { approvalId } = await invoke(requestApproval, deps, await request(account.id, 'exec-1', 'token-1'));
    await applyDecision({ approvalId, decision: 'approve', edits: { subject: 'Votre avis ?' }, decidedBy: 'csm-camille' }, { ledger, callbacks, now: () => FRIDAY_MORNING });

    const again = await invoke(requestApproval, deps, await request(account.id, 'exec-2', 'token-2'));

    expect(again.status).toBe('approved');
    expect(resumed.map((r) => r.token)).toEqual(['token-1', 'token-2']);
    expect(resumed[1]!.output).toEqual(resumed[0]!.output);
    // The decision only: the edited subject stays on the approval, in the ledger.
    expect(resumed[1]!.output).toEqual({ approvalId, decision: 'approved', edited: true, decidedBy: 'csm-camille', decidedAt: '2026-11-13T10:00:00+01:00' });
    expect((await ledger.getApproval(approvalId)).approval!.edits).toEqual({ subject: 'Votre avis ?' });
  });

  it('given an account the ledger does not know, then AccountNotFound (retried by the Task, then a manual follow-up)', async () => {
    const input = { ...(await request((await givenAnAccount('known')).id, 'exec-1', 'token-1')), accountId: 'acc-unknown' };
    const error = await failureOf(() => invoke(requestApproval, { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() }, input));
    expect(error.name).toBe('AccountNotFound');
  });

  it('given a draft prepared for another reason, or in auto mode, then a contract error (never retried): send-email would read another decision', async () => {
    const account = await givenAnAccount('mismatch');
    const deps = { ...depsAt(FRIDAY_MORNING), ...recordingCallbacks() };
    const other = await request(account.id, 'exec-1', 'token-1', 'evt-other');
    const auto = await invoke(prepareEmail, depsAt(FRIDAY_MORNING, resolveSettings({ nps: { reviewUrl: 'https://reviews.example.com/cs' } })), {
      accountId: account.id,
      playbook: 'nps-response',
      template: 'review-request',
      reason: 'evt-auto',
      contactId: 'ct-tom',
    });

    const wrongReason = await failureOf(() => invoke(requestApproval, deps, { ...other, reason: 'evt-nps-42' }));
    const autoDraft = await failureOf(() => invoke(requestApproval, deps, { ...other, reason: 'evt-auto', emailId: auto.emailId }));
    expect([wrongReason.name, autoDraft.name]).toEqual(['ContractError', 'ContractError']);
    expect(autoDraft.message).toContain('prepared to be sent without approval');
  });
});

describe('offer-approval: the CSM’s Slack message, built from the draft', () => {
  it('given a draft put up for approval, then the CSM gets one direct message naming the recipient and the subject, with the two buttons; asking again sends nothing more', async () => {
    const account = await givenAnAccount('offer');
    const emailId = await draftOf(account.id, 'evt-offer');
    const { approvalId } = await invoke(planApproval, depsAt(FRIDAY_MORNING), { accountId: account.id, playbook: 'nps-response', kind: 'email', reason: 'evt-offer' });
    const draft = (await ledger.getEmail(account.id, emailId))!;

    const first = await invoke(offerApproval, depsAt(FRIDAY_MORNING), { accountId: account.id, playbook: 'nps-response', approvalId, emailId });
    const again = await invoke(offerApproval, depsAt(FRIDAY_MORNING), { accountId: account.id, playbook: 'nps-response', approvalId, emailId });

    expect(first).toMatchObject({ notified: true, recipientId: account.csmId, created: true });
    expect(again).toMatchObject({ notified: true, notificationId: (first as { notificationId: string }).notificationId, created: false });
    // What the step answers (its state) names nobody.
    expect(JSON.stringify(first)).not.toContain('tom.durand@example.com');
    const [notification] = (await ledger.scan<{ accountId: string; text: string; topic: string }>('notification')).filter((n) => n.accountId === account.id);
    expect(notification).toMatchObject({ topic: 'email-approval', text: `An e-mail waits for your approval (review request) to tom.durand@example.com: "${draft.subject}". It is sent only if you approve it.` });
    const dispatches = (await ledger.scan<{ accountId: string; call: { request: { buttons?: unknown } } }>('dispatch')).filter((d) => d.accountId === account.id);
    expect(dispatches.map((d) => d.call.request.buttons)).toEqual([
      [
        { action: 'approve_email', label: 'Approve and send', style: 'primary', value: { accountId: account.id, approvalId } },
        { action: 'reject_email', label: 'Reject', style: 'danger', value: { accountId: account.id, approvalId } },
      ],
    ]);
  });
});
