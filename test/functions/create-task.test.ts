import { describe, expect, it } from 'vitest';
import { ContractError } from '../../functions/contracts/index.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import { createTask } from '../../functions/tasks/create-task.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { depsAt, failureOf, FRIDAY_MORNING, givenAnAccount, ledger, newAccountId, useLocalLedger } from '../support/ledger-fixture.ts';
import { aTaskRequest } from '../support/records.ts';

useLocalLedger('cs-playbooks-create-task-test');

describe('create-task: one task per reason, due per the business calendar', () => {
  const taskRequest = (accountId: string, overrides: Record<string, unknown> = {}) => ({ ...aTaskRequest({ accountId }), ...overrides });

  const tasksOf = async (accountId: string) => (await ledger.scan<Task>('task')).filter((task) => task.accountId === accountId);

  it('given the same request delivered twice, then there is one task: the second call reports created false with the same id', async () => {
    const account = await givenAnAccount('task-twice');

    const first = await invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id));
    const second = await invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id));

    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect((await tasksOf(account.id)).map((task) => task.id)).toEqual([first.taskId]);
  });

  it('given the same request retried after 18:00, then the recorded task wins: same id, same due date, still one task', async () => {
    const account = await givenAnAccount('task-retry-late');

    const first = await invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id));
    const retry = await invoke(createTask, depsAt(new Date('2026-11-13T19:00:00+01:00')), taskRequest(account.id));

    expect(retry).toEqual({ ...first, created: false });
    expect(await tasksOf(account.id)).toHaveLength(1);
  });

  it('given two requests with different reasons, then there are two tasks', async () => {
    const account = await givenAnAccount('task-two-reasons');

    await invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id, { reason: 'evt-nps-1' }));
    await invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id, { reason: 'evt-nps-2' }));

    expect(await tasksOf(account.id)).toHaveLength(2);
  });

  it('given an account in Paris, when a task for today is requested on Friday at 17:30, then it is due that Friday at 18:00', async () => {
    const account = await givenAnAccount('task-friday-1730');

    const result = await invoke(createTask, depsAt(new Date('2026-11-13T17:30:00+01:00')), taskRequest(account.id));

    expect(result.dueAt).toBe('2026-11-13T18:00:00+01:00');
  });

  it('given an account in Paris, when a task for today is requested on Friday at 18:30, then it is due on Monday at 18:00', async () => {
    const account = await givenAnAccount('task-friday-1830');

    const result = await invoke(createTask, depsAt(new Date('2026-11-13T18:30:00+01:00')), taskRequest(account.id));

    expect(result.dueAt).toBe('2026-11-16T18:00:00+01:00');
  });

  it('given an account in Paris, when a task for today is requested on the eve of 11 November at 20:00, then it is due on Thursday 12 at 18:00', async () => {
    const account = await givenAnAccount('task-armistice');

    const result = await invoke(createTask, depsAt(new Date('2026-11-10T20:00:00+01:00')), taskRequest(account.id));

    expect(result.dueAt).toBe('2026-11-12T18:00:00+01:00');
  });

  it('given a request, then the ledger holds exactly one task, for the CSM, with its title naming the account and times in the Paris offset', async () => {
    const account = await givenAnAccount('task-stored');

    const result = await invoke(createTask, depsAt(new Date('2026-11-13T18:30:00+01:00')), taskRequest(account.id));

    const tasks = await tasksOf(account.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: result.taskId,
      kind: 'detractor-context-review',
      accountId: account.id,
      playbook: 'nps-response',
      owner: 'csm-lea',
      ownerRole: 'csm',
      status: 'open',
      createdAt: '2026-11-13T18:30:00+01:00',
      dueAt: '2026-11-16T18:00:00+01:00',
    });
    expect(tasks[0]?.title).toContain('Salon Horizon');
  });

  it('given a task for the onboarding AM on an account without one, then the CSM owns it', async () => {
    const account = await givenAnAccount('task-onboarding-fallback');

    const result = await invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id, { kind: 'pre-churn-save', ownerRole: 'onboarding' }));

    expect(result.owner).toBe('csm-lea');
  });

  it('given an unknown task kind, then the request is refused with a ContractError naming kind and no task is written', async () => {
    const account = await givenAnAccount('task-bad-kind');

    const error = await failureOf(() => invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id, { kind: 'send-flowers' })));

    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.some((problem) => problem.startsWith('kind:'))).toBe(true);
    expect(await tasksOf(account.id)).toEqual([]);
  });

  it('given a due time without an offset, then the request is refused with a ContractError naming due.at', async () => {
    const account = await givenAnAccount('task-bad-due');

    const error = await failureOf(() =>
      invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(account.id, { due: { rule: 'at', at: '2026-11-20T09:00:00' } })),
    );

    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.some((problem) => problem.startsWith('due.at:'))).toBe(true);
  });

  it('given an account the ledger has never heard of, then the request fails with AccountNotFound and no task is written', async () => {
    const accountId = newAccountId('task-unknown');

    const error = await failureOf(() => invoke(createTask, depsAt(FRIDAY_MORNING), taskRequest(accountId)));

    expect(error.name).toBe('AccountNotFound');
    expect(await tasksOf(accountId)).toEqual([]);
  });
});
