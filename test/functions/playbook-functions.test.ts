import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, type RiskRecord } from '../../functions/adapters/ledger.ts';
import { AccountRecord, ContractError, DetailSchemas, resolveSettings, type DetailOf, type Settings } from '../../functions/contracts/index.ts';
import { createBusinessCalendar } from '../../functions/core/calendar/business-time.ts';
import { AccountNotFound } from '../../functions/core/errors.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import { createTask } from '../../functions/create-task/create-task.ts';
import { openRisk } from '../../functions/open-risk/open-risk.ts';
import { recordNpsResponse } from '../../functions/record-nps-response/record-nps-response.ts';
import { invoke, type PlaybookDeps } from '../../functions/runtime/playbook-function.ts';
import { upsertAccount } from '../../functions/upsert-account/upsert-account.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';

// A real DynamoDB API (dynalite on 127.0.0.1) with the stack's table: the conditional writes that make
// redeliveries harmless are exercised for real, never mocked.
let db: LocalDynamoDB;
let ledger: Ledger;

beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-functions-test');
  ledger = new Ledger(db.client, db.tableName);
});

afterAll(async () => {
  await db?.close();
});

const calendar = createBusinessCalendar(buildHolidayTable(['FR', 'US'], 2025, 2027), { start: '09:00', end: '18:00' });

/** Friday 13 November 2026, 10:00 in Paris. */
const FRIDAY_MORNING = new Date('2026-11-13T10:00:00+01:00');

function depsAt(now: Date, settings: Settings = resolveSettings()): PlaybookDeps {
  const metrics = new Metrics({ namespace: 'test' });
  metrics.setThrowOnEmptyMetrics(false);
  return { ledger, now: () => now, settings, calendar, logger: new Logger({ logLevel: 'SILENT' }), metrics };
}

// Every test works on its own accounts, so tests never see each other's items in the shared table.
let accountCounter = 0;
const newAccountId = (label: string) => `acc-${label}-${++accountCounter}`;

/** A complete account, parsed through the AccountRecord contract (invented names, example.com). */
function aParisAccount(id: string): AccountRecord {
  return AccountRecord.parse({
    id,
    name: 'Salon Horizon',
    country: 'FR',
    timezone: 'Europe/Paris',
    language: 'fr',
    csmId: 'csm-lea',
    teamLeadId: 'lead-marc',
    mrr: 1200,
    arr: 14_400,
    contacts: [
      { id: 'ct-clara', email: 'clara.petit@example.com', name: 'Clara Petit', role: 'champion' },
      { id: 'ct-tom', email: 'tom.durand@example.com', name: 'Tom Durand', role: 'user' },
    ],
  });
}

/** The input of upsert-account: the event's time (when the CRM changed it) and its detail, parsed through its schema. */
function accountUpdated(
  accountId: string,
  eventId: string,
  patch: Partial<Omit<AccountRecord, 'id'>>,
  time = '2026-11-13T09:00:00Z',
): { time: string; detail: DetailOf<'AccountUpdated'> } {
  return { time, detail: DetailSchemas.AccountUpdated.parse({ eventId, accountId, ...patch }) };
}

/** Given an account the CRM has synced: a complete AccountUpdated applied through upsert-account. */
async function givenAnAccount(label: string): Promise<AccountRecord> {
  const account = aParisAccount(newAccountId(label));
  const { id, ...record } = account;
  await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(id, `evt-sync-${id}`, record));
  return account;
}

function npsAnswer(accountId: string, eventId: string, score: number): { detail: DetailOf<'NpsResponseReceived'> } {
  return {
    detail: DetailSchemas.NpsResponseReceived.parse({
      eventId,
      accountId,
      contactId: 'ct-clara',
      score,
      respondedAt: '2026-11-13T09:45:00+01:00',
    }),
  };
}

/** What a failed invocation threw, whether `invoke` threw at once or its promise rejected. */
async function failureOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the invocation to fail, but it succeeded');
}

describe('upsert-account: the CRM sync keeps the account record every playbook reads', () => {
  it('given no account yet, when a complete AccountUpdated arrives, then the account is created as sent', async () => {
    const account = aParisAccount(newAccountId('create'));
    const { id, ...record } = account;

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(id, 'evt-crm-1', record));

    expect(result).toEqual({ accountId: id });
    expect(await ledger.getAccount(id)).toEqual(account);
  });

  it('given an existing account, when a later AccountUpdated changes only the MRR, then the MRR changes and every other field is kept', async () => {
    const account = await givenAnAccount('patch');

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-2', { mrr: 2500 }));

    expect(await ledger.getAccount(account.id)).toEqual({ ...account, mrr: 2500 });
  });

  it('given an existing account, when two partial patches arrive one after the other, then both changes are kept', async () => {
    const account = await givenAnAccount('two-patches');

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-3', { mrr: 2500 }));
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-4', { salesId: 'sales-yanis' }));

    expect(await ledger.getAccount(account.id)).toEqual({ ...account, mrr: 2500, salesId: 'sales-yanis' });
  });

  // Invariant 2: vendors retry and deliver out of order. A redelivered (older) update must not undo a newer one.
  it('given an update applied, then a newer one, when the first update is delivered again, then the newer value is kept', async () => {
    const account = await givenAnAccount('redelivered-patch');
    const olderUpdate = accountUpdated(account.id, 'evt-crm-older', { mrr: 2500 }, '2026-11-13T09:00:00Z');

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), olderUpdate);
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-newer', { mrr: 3000 }, '2026-11-13T09:05:00Z'));
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), olderUpdate);

    expect((await ledger.getAccount(account.id))?.mrr).toBe(3000);
  });

  it('given no account yet, when the first AccountUpdated is a partial patch, then it is refused with a ContractError naming a missing field and nothing is stored', async () => {
    const accountId = newAccountId('incomplete');

    const error = await failureOf(() => invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(accountId, 'evt-crm-5', { mrr: 900 })));

    expect(error).toBeInstanceOf(ContractError);
    const problems = (error as ContractError).problems;
    for (const field of ['name', 'country', 'timezone', 'csmId', 'contacts']) {
      expect(problems.some((problem) => problem.startsWith(`${field}:`))).toBe(true);
    }
    expect(await ledger.getAccount(accountId)).toBeUndefined();
  });

  it('given an existing account, when a patch would break the record (unknown time zone), then it is refused naming timezone and the record is unchanged', async () => {
    const account = await givenAnAccount('bad-zone');

    const error = await failureOf(() =>
      invoke(upsertAccount, depsAt(FRIDAY_MORNING), { time: '2026-11-13T09:00:00Z', detail: { eventId: 'evt-crm-6', accountId: account.id, timezone: 'Europe/Atlantis' } }),
    );

    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.some((problem) => problem.includes('timezone'))).toBe(true);
    expect(await ledger.getAccount(account.id)).toEqual(account);
  });
});

describe('record-nps-response: each answer recorded once and banded with the stage preset', () => {
  it.each([
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
  ] as const)('given the standard preset, when a score of %i is recorded, then the answer is a %s', async (score, band) => {
    const account = await givenAnAccount(`nps-standard-${score}`);

    const result = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, `evt-nps-${score}`, score));

    expect(result).toEqual({ duplicate: false, band, accountId: account.id, contactId: 'ct-clara', score });
  });

  it.each([
    [3, 'detractor'],
    [4, 'passive'],
    [6, 'passive'],
    [7, 'promoter'],
  ] as const)('given the alerte-fidelisation preset, when a score of %i is recorded, then the answer is a %s', async (score, band) => {
    const account = await givenAnAccount(`nps-alerte-${score}`);
    const deps = depsAt(FRIDAY_MORNING, resolveSettings({ nps: { preset: 'alerte-fidelisation' } }));

    const result = await invoke(recordNpsResponse, deps, npsAnswer(account.id, `evt-nps-${score}`, score));

    expect(result.band).toBe(band);
  });

  it('given an answer already recorded, when the same eventId is delivered again, then the second delivery is reported as a duplicate', async () => {
    const account = await givenAnAccount('nps-twice');
    const answer = npsAnswer(account.id, 'evt-nps-twice', 5);

    const first = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), answer);
    const second = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), answer);

    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ ...first, duplicate: true });
  });

  it('given an answer already recorded, when the same eventId comes back with another score, then the recorded answer wins', async () => {
    const account = await givenAnAccount('nps-redelivered-changed');

    await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-changed', 2));
    const second = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-changed', 10));

    expect(second).toMatchObject({ duplicate: true, score: 2, band: 'detractor' });
  });

  it('given two answers with different eventIds on one account, then both are recorded', async () => {
    const account = await givenAnAccount('nps-two-answers');

    const first = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-a', 3));
    const second = await invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(account.id, 'evt-nps-b', 3));

    expect([first.duplicate, second.duplicate]).toEqual([false, false]);
  });

  it('given an account the ledger has never heard of, when an answer arrives, then it fails with AccountNotFound', async () => {
    const accountId = newAccountId('nps-unknown');

    const error = await failureOf(() => invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), npsAnswer(accountId, 'evt-nps-unknown', 2)));

    expect(error).toBeInstanceOf(AccountNotFound);
    expect(error.name).toBe('AccountNotFound');
  });

  it('given a score of 11, when the answer is recorded, then it is refused with a ContractError naming detail.score', async () => {
    const account = await givenAnAccount('nps-eleven');
    const raw = { detail: { ...npsAnswer(account.id, 'evt-nps-eleven', 10).detail, score: 11 } };

    const error = await failureOf(() => invoke(recordNpsResponse, depsAt(FRIDAY_MORNING), raw));

    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.some((problem) => problem.startsWith('detail.score:'))).toBe(true);
  });
});

describe('open-risk: one open risk per account and kind', () => {
  const openRiskInput = (accountId: string, kind: string, reason: string) => ({ accountId, kind, origin: 'nps', reason });

  it('given a detractor answer, when a churn risk is opened, then it is created, open, with its origin and opened in the account offset', async () => {
    const account = await givenAnAccount('risk-first');

    const result = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'churn-risk', 'evt-nps-1'));

    expect(result.created).toBe(true);
    const risks = (await ledger.scan<RiskRecord>('risk')).filter((risk) => risk.accountId === account.id);
    expect(risks).toEqual([
      { id: result.riskId, kind: 'churn-risk', accountId: account.id, status: 'open', origin: 'nps', reason: 'evt-nps-1', openedAt: '2026-11-13T10:00:00+01:00' },
    ]);
  });

  it('given an open churn risk, when a second detractor answer (another reason) opens one, then no new risk is created and the first risk id is returned', async () => {
    const account = await givenAnAccount('risk-twice');

    const first = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'churn-risk', 'evt-nps-1'));
    const second = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'churn-risk', 'evt-nps-2'));

    expect(first.created).toBe(true);
    expect(second).toEqual({ riskId: first.riskId, created: false });
    const risks = (await ledger.scan<RiskRecord>('risk')).filter((risk) => risk.accountId === account.id);
    expect(risks.map((risk) => risk.id)).toEqual([first.riskId]);
  });

  it('given an open churn risk, when a downsell risk is opened, then it is a separate open risk', async () => {
    const account = await givenAnAccount('risk-downsell');

    const churn = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'churn-risk', 'evt-nps-1'));
    const downsell = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'downsell-risk', 'evt-crm-9'));

    expect(downsell.created).toBe(true);
    expect(downsell.riskId).not.toBe(churn.riskId);
    const risks = (await ledger.scan<RiskRecord>('risk')).filter((risk) => risk.accountId === account.id);
    expect(risks.map((risk) => risk.kind).sort()).toEqual(['churn-risk', 'downsell-risk']);
  });

  it('given an open churn risk on one account, when another account opens one, then it is created (the limit is per account)', async () => {
    const one = await givenAnAccount('risk-account-a');
    const other = await givenAnAccount('risk-account-b');

    await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(one.id, 'churn-risk', 'evt-nps-1'));
    const result = await invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(other.id, 'churn-risk', 'evt-nps-1'));

    expect(result.created).toBe(true);
  });

  it('given an account the ledger has never heard of, when a risk is opened, then it fails with AccountNotFound', async () => {
    const error = await failureOf(() => invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(newAccountId('risk-unknown'), 'churn-risk', 'evt-1')));

    expect(error.name).toBe('AccountNotFound');
  });

  it('given an unknown risk kind, when a risk is opened, then it is refused with a ContractError naming kind', async () => {
    const account = await givenAnAccount('risk-bad-kind');

    const error = await failureOf(() => invoke(openRisk, depsAt(FRIDAY_MORNING), openRiskInput(account.id, 'upsell-risk', 'evt-1')));

    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).problems.some((problem) => problem.startsWith('kind:'))).toBe(true);
  });
});

describe('create-task: one task per reason, due per the business calendar', () => {
  const taskRequest = (accountId: string, overrides: Record<string, unknown> = {}) => ({
    accountId,
    playbook: 'nps-response',
    kind: 'detractor-context-review',
    ownerRole: 'csm',
    reason: 'evt-nps-1',
    due: { rule: 'today' },
    ...overrides,
  });

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
