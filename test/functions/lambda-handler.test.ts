import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../functions/adapters/table.ts';
import { resolveSettings } from '../../functions/contracts/settings.ts';
import { createBusinessCalendar } from '../../functions/core/calendar/business-time.ts';
import { taskId } from '../../functions/core/tasks/identity.ts';
import { packHolidayTable, type PackedHolidayTable } from '../../functions/runtime/holidays.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { lambdaContext } from '../support/aws/lambda-context.ts';
import { failureOf } from '../support/ledger-fixture.ts';
import { captureOutput } from '../support/aws/playbook-lambdas.ts';

// The Lambda entry of the playbook domains (functions/runtime/lambda.ts) through real bundle entries,
// the tasks and accounts functions (create-task, upsert-account): environment read at cold start,
// middleware, the router, the compiled-in holiday table, and the DynamoDB client configured by the
// standard AWS variables, against dynalite on 127.0.0.1.

const REGION = 'eu-west-3';
const SETTINGS = resolveSettings({ calendar: { countries: ['FR'] } });
const HOLIDAYS = buildHolidayTable(['FR'], 2025, 2028);

type PlaybookHandler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
type HolidayGlobal = { __PUBLIC_HOLIDAYS__?: PackedHolidayTable; __PUBLIC_HOLIDAY_YEARS__?: { fromYear: number; toYear: number } };

const sample = JSON.parse(readFileSync(new URL('../../functions/contracts/samples/AccountUpdated.json', import.meta.url), 'utf8')) as {
  timestamp: string;
  data: { eventId: string; accountId: string; name: string; timezone: string; csmId: string } & Record<string, unknown>;
};

let db: LocalDynamoDB;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-lambda-handler-test');
  documents = DynamoDBDocumentClient.from(db.client);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  delete (globalThis as HolidayGlobal).__PUBLIC_HOLIDAYS__;
  delete (globalThis as HolidayGlobal).__PUBLIC_HOLIDAY_YEARS__;
  await db?.close();
});

beforeEach(() => {
  // What esbuild's `define` compiles into each bundle; a free identifier resolves to the global here.
  (globalThis as HolidayGlobal).__PUBLIC_HOLIDAYS__ = packHolidayTable(HOLIDAYS);
  (globalThis as HolidayGlobal).__PUBLIC_HOLIDAY_YEARS__ = { fromYear: 2025, toYear: 2028 };
  vi.stubEnv('AWS_REGION', REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIALAMBDATEST000001');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'lambda-test-secret-access-key');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', db.endpoint);
  vi.stubEnv('TABLE_NAME', db.tableName);
  vi.stubEnv('SETTINGS', JSON.stringify(SETTINGS));
  vi.stubEnv('STAGE', 'test');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'playbook-functions-test');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'CsPlaybooksTest');
});

/**
 * A cold start: fresh modules, so clients, environment and `deps` are built from what is stubbed now.
 * Each action is called as its Task calls its domain's function: `{ action, input }`.
 */
async function coldStart(): Promise<{ upsertAccount: PlaybookHandler; createTask: PlaybookHandler; tasks: PlaybookHandler }> {
  vi.resetModules();
  const [accounts, tasks] = await Promise.all([import('../../functions/accounts/handler.ts'), import('../../functions/tasks/handler.ts')]);
  const asAction = (handler: PlaybookHandler, action: string): PlaybookHandler => (input, context) => handler({ action, input }, context);
  return {
    upsertAccount: asAction(accounts.handler as PlaybookHandler, 'upsert-account'),
    createTask: asAction(tasks.handler as PlaybookHandler, 'create-task'),
    tasks: tasks.handler as PlaybookHandler,
  };
}

let accountCounter = 0;

/** Given an account synced from the CRM: the AccountUpdated sample, under a fresh id, through upsert-account's Lambda. */
async function givenAnAccount(upsertAccount: PlaybookHandler) {
  const accountId = `${sample.data.accountId}-${++accountCounter}`;
  const detail = { ...sample.data, accountId, eventId: `${sample.data.eventId}-${accountCounter}` };
  await expect(upsertAccount({ time: sample.timestamp, detail }, lambdaContext('cs-playbooks-upsert-account'))).resolves.toEqual({ accountId, status: 'complete' });
  return { ...sample.data, accountId };
}

function taskRequest(accountId: string, overrides: Record<string, unknown> = {}) {
  return {
    accountId,
    playbook: 'nps-detractor',
    kind: 'detractor-call',
    ownerRole: 'csm',
    reason: 'evt-nps-lambda-1',
    due: { rule: 'at', at: '2026-11-23T10:00:00Z' },
    details: 'Score 4: SMS reminders are sent late.',
    ...overrides,
  };
}

async function storedItem(key: { pk: string; sk: string }) {
  const { Item } = await documents.send(new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }));
  return Item;
}

describe('Lambda entry of the playbook functions (runtime/lambda.ts)', () => {
  it('given an account put through upsert-account, when create-task is invoked, then it returns the task and the task is in DynamoDB', async () => {
    const { upsertAccount, createTask } = await coldStart();
    const account = await givenAnAccount(upsertAccount);
    const stored = await storedItem(keys.account(account.accountId));
    expect(stored).toMatchObject({ entity: 'account', version: 1, account: { id: account.accountId, name: account.name, csmId: account.csmId } });

    const before = Date.now();
    const result = await createTask(taskRequest(account.accountId), lambdaContext('cs-playbooks-create-task'));

    const id = taskId({ accountId: account.accountId, playbook: 'nps-detractor', kind: 'detractor-call', reason: 'evt-nps-lambda-1' });
    // The due instant in the account's zone (Paris, UTC+1 in November).
    const dueAt = '2026-11-23T11:00:00+01:00';
    expect(result).toEqual({ taskId: id, kind: 'detractor-call', owner: account.csmId, dueAt, created: true });

    const item = await storedItem(keys.task(account.accountId, id));
    expect(item).toEqual({
      ...keys.task(account.accountId, id),
      entity: 'task',
      id,
      kind: 'detractor-call',
      accountId: account.accountId,
      playbook: 'nps-detractor',
      owner: account.csmId,
      ownerRole: 'csm',
      status: 'open',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/),
      dueAt,
      title: `Call the detractor to qualify the dissatisfaction — ${account.name}`,
      details: 'Score 4: SMS reminders are sent late.',
    });
    // Its CRM mirror is queued in the ledger, for the dispatch drain: the step never waits for the CRM.
    expect(await storedItem(keys.dispatch(account.accountId, `TASK#${id}@crmId`))).toMatchObject({
      entity: 'dispatch',
      call: { port: 'crm', method: 'upsertTask', request: { idempotencyKey: id, accountId: account.accountId, kind: 'detractor-call' } },
      dispatchQueue: 'due',
      attempts: 0,
    });
    // Created on the Lambda's wall clock (`now: () => new Date()`), written in the account's offset.
    const createdAt = Date.parse(String(item?.createdAt));
    expect(createdAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(createdAt).toBeLessThanOrEqual(Date.now());
  });

  it('given a task already created, when create-task is invoked again with the same request (a Lambda retry), then the same task is returned with created false and DynamoDB keeps one', async () => {
    const { upsertAccount, createTask } = await coldStart();
    const account = await givenAnAccount(upsertAccount);
    const request = taskRequest(account.accountId, { reason: 'evt-nps-lambda-retry' });
    const first = (await createTask(request, lambdaContext('cs-playbooks-create-task'))) as { taskId: string; created: boolean };

    const second = await createTask(request, lambdaContext('cs-playbooks-create-task'));

    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
  });

  it("given a due rule 'today', when create-task is invoked, then the due time is the business calendar's, built from the compiled-in holiday table and the SETTINGS business hours", async () => {
    const { upsertAccount, createTask } = await coldStart();
    const account = await givenAnAccount(upsertAccount);
    const calendar = createBusinessCalendar(HOLIDAYS, SETTINGS.businessHours);
    const where = { timezone: account.timezone, country: 'FR' };
    const expectedBefore = calendar.dueToday(new Date(), where).getTime();

    const result = (await createTask(taskRequest(account.accountId, { reason: 'evt-nps-lambda-today', due: { rule: 'today' } }), lambdaContext('cs-playbooks-create-task'))) as {
      dueAt: string;
    };

    const expectedAfter = calendar.dueToday(new Date(), where).getTime();
    // Computed on both sides of the call: only a business-day cut-off passing in between could tell them apart.
    expect([expectedBefore, expectedAfter]).toContain(Date.parse(result.dueAt));
  });

  it('given no TABLE_NAME in the environment, when a function is invoked, then the invocation rejects with a ContractError naming TABLE_NAME', async () => {
    vi.stubEnv('TABLE_NAME', undefined);
    const { createTask } = await coldStart();

    const error = await failureOf(() => createTask(taskRequest('acc-any'), lambdaContext('cs-playbooks-create-task')));

    expect(error.name).toBe('ContractError');
    expect(error.message).toMatch(/^function environment is invalid: .*TABLE_NAME/);
  });

  it('given an input that breaks the contract, when create-task is invoked, then the invocation rejects with a ContractError naming the bad fields and nothing is written', async () => {
    const { upsertAccount, createTask } = await coldStart();
    const account = await givenAnAccount(upsertAccount);
    const request = taskRequest(account.accountId, { kind: 'coffee-break', due: { rule: 'tomorrow' } });

    const error = await failureOf(() => createTask(request, lambdaContext('cs-playbooks-create-task')));

    expect(error.name).toBe('ContractError');
    expect(error.message).toMatch(/^create-task input is invalid: /);
    expect(error.message).toContain('kind');
    expect(error.message).toContain('due');
    const id = taskId({ accountId: account.accountId, playbook: 'nps-detractor', kind: 'coffee-break', reason: 'evt-nps-lambda-1' });
    expect(await storedItem(keys.task(account.accountId, id))).toBeUndefined();
  });

  describe("the domain's router", () => {
    const output = captureOutput();

    it('given the tasks function, when a Task asks it for an action of another domain, then it refuses with a ContractError naming the actions it has, and writes nothing', async () => {
      const { upsertAccount, tasks } = await coldStart();
      const account = await givenAnAccount(upsertAccount);
      const request = { accountId: account.accountId, type: 'churn-risk', playbook: 'churn-risk', reason: 'evt-router-1' };
      const items = async () => (await documents.send(new ScanCommand({ TableName: db.tableName, Select: 'COUNT', ConsistentRead: true }))).Count;
      const before = await items();

      const error = await failureOf(() => tasks({ action: 'post-alert', input: request }, lambdaContext('cs-playbooks-tasks')));

      expect(error.name).toBe('ContractError');
      expect(error.message).toBe('tasks request is invalid: action "post-alert" is not one of the tasks domain\'s (create-task, complete-task, find-open-tasks)');
      expect(await items()).toBe(before);
    });

    it("given the tasks function, when it is invoked with an action's bare input (no { action, input }), then it refuses rather than guess", async () => {
      const { tasks } = await coldStart();
      const error = await failureOf(() => tasks(taskRequest('acc-any'), lambdaContext('cs-playbooks-tasks')));
      expect(error.name).toBe('ContractError');
      expect(error.message).toMatch(/^tasks request is invalid: /);
    });

    it('given an action the tasks function routes, then its log lines name the action', async () => {
      const { upsertAccount, createTask } = await coldStart();
      const account = await givenAnAccount(upsertAccount);
      output.start();
      try {
        await createTask(taskRequest(account.accountId, { reason: 'evt-router-logs' }), lambdaContext('cs-playbooks-tasks'));
      } finally {
        output.stop();
      }
      expect(output.records.filter((record) => record.message === 'task created')).toEqual([expect.objectContaining({ action: 'create-task', service: 'playbook-functions-test' })]);
    });
  });

  describe('the compiled public-holiday table running out', () => {
    const output = captureOutput();
    // Relative to the clock the Lambda reads (its wall clock): a table ending this year is always within a
    // year of its end, one ending in three years never is.
    const thisYear = new Date().getUTCFullYear();
    const warnings = () => output.records.filter((record) => record.level === 'WARN' && /public.holiday/.test(String(record.message)));
    const endsSoonMetrics = () => output.records.filter((record) => 'HolidayTableEndsSoon' in record);

    async function coldStartCreatingATask(years: { fromYear: number; toYear: number }) {
      (globalThis as HolidayGlobal).__PUBLIC_HOLIDAYS__ = packHolidayTable(buildHolidayTable(['FR'], years.fromYear, years.toYear));
      (globalThis as HolidayGlobal).__PUBLIC_HOLIDAY_YEARS__ = years;
      const { upsertAccount, createTask } = await coldStart();
      output.start();
      try {
        const account = await givenAnAccount(upsertAccount);
        return await createTask(taskRequest(account.accountId, { reason: `evt-runway-${years.toYear}`, due: { rule: 'today' } }), lambdaContext('cs-playbooks-create-task'));
      } finally {
        output.stop();
      }
    }

    it('given a table whose last year is this one, when a function cold-starts, then it warns ops to redeploy and counts HolidayTableEndsSoon once, on the calendar dimension alone', async () => {
      await coldStartCreatingATask({ fromYear: thisYear - 1, toYear: thisYear });
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toMatchObject({ lastDay: `${thisYear}-12-31`, endsSoon: true, toYear: thisYear });
      const [emf, ...more] = endsSoonMetrics();
      expect(more).toHaveLength(0);
      expect(emf).toMatchObject({ Calendar: 'public-holidays', HolidayTableEndsSoon: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'CsPlaybooksTest', Dimensions: [['Calendar']] }] } });
    });

    it('given a table that lasts three more years, when a function cold-starts, then nobody is warned', async () => {
      await coldStartCreatingATask({ fromYear: thisYear - 1, toYear: thisYear + 3 });
      expect(warnings()).toHaveLength(0);
      expect(endsSoonMetrics()).toHaveLength(0);
    });

    it('given a table that ran out two years ago, when a task is due today, then it is still created (business days on weekends alone) and HolidayTableMissing is counted once', async () => {
      const result = await coldStartCreatingATask({ fromYear: thisYear - 3, toYear: thisYear - 2 });
      expect(result).toMatchObject({ created: true, dueAt: expect.stringMatching(/T18:00:00\+0[12]:00$/) });
      const missing = output.records.filter((record) => 'HolidayTableMissing' in record);
      expect(missing).toHaveLength(1);
      expect(missing[0]).toMatchObject({ Calendar: 'public-holidays', HolidayTableMissing: 1 });
      expect(warnings().map((record) => record.message)).toEqual([
        'The public-holiday table compiled into this stage runs out: redeploy the stage to extend it',
        'No public holidays compiled for this year: business days count weekends only until the stage is redeployed',
      ]);
    });
  });

  it('given a bundle without a compiled-in holiday table, when a function is invoked, then the invocation rejects and says so', async () => {
    delete (globalThis as HolidayGlobal).__PUBLIC_HOLIDAYS__;
    const { createTask } = await coldStart();

    const error = await failureOf(() => createTask(taskRequest('acc-any'), lambdaContext('cs-playbooks-create-task')));

    expect(error.message).toMatch(/No public-holiday table was compiled into this bundle/);
  });
});
