import { recordReply } from '../../functions/adapters/client-replies.ts';
import { describe, expect, it } from 'vitest';
import type { TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import { TaskTokenGone } from '../../functions/adapters/step-functions/task-callbacks.ts';
import { keys } from '../../functions/adapters/table.ts';
import { awaitFirstReply } from '../../functions/feedback/await-first-reply.ts';
import { planFirstReply } from '../../functions/feedback/plan-first-reply.ts';
import { recordClientReply } from '../../functions/feedback/record-client-reply.ts';
import { recordSlaBreach } from '../../functions/feedback/record-sla-breach.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { depsAt, FRIDAY_MORNING, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// The first-reply wait against a real DynamoDB API (dynalite): the wait and the reply meet on one item,
// each with one atomic update, so whichever comes second resumes the execution.
useLocalLedger('cs-playbooks-first-reply-functions-test');

/** Resumes recorded, and tokens already closed answered as Step Functions does. */
function recordingCallbacks(closed: readonly string[] = []) {
  const resumed: { token: string; output: unknown }[] = [];
  const callbacks: TaskCallbacks = {
    async sendTaskSuccess(token, output) {
      if (closed.includes(token)) throw new TaskTokenGone('TaskTimedOut');
      resumed.push({ token, output });
    },
    sendTaskFailure: async () => {
      throw new Error('not expected');
    },
  };
  return { resumed, deps: { ...depsAt(FRIDAY_MORNING), callbacks } };
}

const wait = (accountId: string, executionId: string, taskToken: string) => ({ accountId, replyKey: 'msg-1', executionId, taskToken });
const replied = (accountId: string, at = '2026-11-13T11:00:00+01:00') => ({ accountId, eventId: `evt-reply-${at}`, inReplyTo: 'msg-1', at });

describe('plan-first-reply', () => {
  it('given an e-mail received at 09:00 and processed at 10:00, then due at 09:00 the next day and a wait of 23 hours', async () => {
    const account = await givenAnAccount('plan-reply');
    const plan = await invoke(planFirstReply, depsAt(FRIDAY_MORNING), {
      accountId: account.id,
      eventId: 'evt-1',
      contactId: 'ct-clara',
      receivedAt: '2026-11-13T09:00:00+01:00',
      channel: 'email',
    });

    expect(plan).toMatchObject({ replyKey: 'evt-1', dueAt: '2026-11-14T09:00:00+01:00', timeoutSeconds: 23 * 3600 });
  });

  it('given an e-mail delivered after its deadline, then a wait of 1 second: overdue at once, through the same path', async () => {
    const account = await givenAnAccount('plan-late');
    const plan = await invoke(planFirstReply, depsAt(FRIDAY_MORNING), { accountId: account.id, eventId: 'evt-2', contactId: 'ct-clara', messageId: 'msg-9', receivedAt: '2026-11-10T09:00:00+01:00' });
    expect(plan).toMatchObject({ replyKey: 'msg-9', timeoutSeconds: 1 });
  });
});

describe('the wait and the reply meet on one item', () => {
  it('given the wait first, then the reply resumes it with the reply time', async () => {
    const account = await givenAnAccount('wait-first');
    const { resumed, deps } = recordingCallbacks();
    expect(await invoke(awaitFirstReply, deps, wait(account.id, 'exec-1', 'token-1'))).toEqual({ waiting: true });

    expect(await invoke(recordClientReply, deps, replied(account.id))).toEqual({ resumed: 1 });
    expect(resumed).toEqual([{ token: 'token-1', output: { repliedAt: '2026-11-13T11:00:00+01:00' } }]);
  });

  it('given the reply first, then the wait resumes itself at once', async () => {
    const account = await givenAnAccount('reply-first');
    const { resumed, deps } = recordingCallbacks();
    expect(await invoke(recordClientReply, deps, replied(account.id))).toEqual({ resumed: 0 });

    expect(await invoke(awaitFirstReply, deps, wait(account.id, 'exec-1', 'token-1'))).toEqual({ waiting: false });
    expect(resumed.map((r) => r.token)).toEqual(['token-1']);
  });

  it('given two executions waiting (a redelivered e-mail) and a retried wait, then the reply resumes each execution once, with its latest token', async () => {
    const account = await givenAnAccount('two-waiters');
    const { resumed, deps } = recordingCallbacks();
    await invoke(awaitFirstReply, deps, wait(account.id, 'exec-1', 'token-1a'));
    await invoke(awaitFirstReply, deps, wait(account.id, 'exec-1', 'token-1b'));
    await invoke(awaitFirstReply, deps, wait(account.id, 'exec-2', 'token-2'));

    await invoke(recordClientReply, deps, replied(account.id));
    expect(resumed.map((r) => r.token).sort()).toEqual(['token-1b', 'token-2']);
  });

  it('given a second reply later, then the first reply time stays, and a wait that had ended is not an error', async () => {
    const account = await givenAnAccount('second-reply');
    const { deps } = recordingCallbacks(['token-1']);
    await invoke(awaitFirstReply, deps, wait(account.id, 'exec-1', 'token-1'));
    await invoke(recordClientReply, deps, replied(account.id, '2026-11-13T11:00:00+01:00'));

    expect(await invoke(recordClientReply, deps, replied(account.id, '2026-11-14T15:00:00+01:00'))).toEqual({ resumed: 0 });
    expect(await recordReply(ledger, account.id, 'msg-1', '2026-11-15T00:00:00+01:00')).toMatchObject({ repliedAt: '2026-11-13T11:00:00+01:00' });
    expect(keys.reply(account.id, 'msg-1').sk).toBe('REPLY#msg-1');
  });
});

describe('record-sla-breach', () => {
  it('given the step retried, then one breach on record', async () => {
    const account = await givenAnAccount('breach');
    const breach = { accountId: account.id, sla: 'first-reply', key: 'msg-1', dueAt: '2026-11-13T09:00:00+01:00' };
    expect(await invoke(recordSlaBreach, depsAt(FRIDAY_MORNING), breach)).toEqual({ created: true });
    expect(await invoke(recordSlaBreach, depsAt(FRIDAY_MORNING), breach)).toEqual({ created: false });
  });
});
