import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Ledger } from '../../functions/adapters/ledger.ts';
import type { RecordOutcome } from '../../functions/executions/record-execution.ts';
import type { RedriveOutcome } from '../../functions/executions/redrive-failed-execution.ts';
import { ENDPOINT_TABLE_ACCESS } from '../../lib/functions.ts';
import { tableStatements } from '../../lib/table-grants.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { startGrantedDynamoDB, type GrantedDynamoDB } from '../support/aws/granted-dynamodb.ts';
import { lambdaContext } from '../support/aws/lambda-context.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from '../support/aws/step-functions.ts';

// The executions Lambda (functions/executions/handler.ts) as the stage's rules invoke it, with what their
// input transformer keeps of a "Step Functions Execution Status Change", through its real SDK clients:
// Step Functions is a local endpoint on 127.0.0.1 implementing RedriveExecution as documented, checking
// the protocol and the SigV4 signature of every request; DynamoDB is dynalite behind the function's grant.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIAREDRIVETEST00001', secretAccessKey: 'redrive-test-secret-access-key' };
const MACHINE = 'NpsResponsePlaybookStateMachine1A2B3C4D-AbCdEfGhIjKl';
const EXECUTIONS = `arn:aws:states:eu-west-3:123456789012:execution:${MACHINE}`;
const STATE_MACHINE = `arn:aws:states:eu-west-3:123456789012:stateMachine:${MACHINE}`;
const STARTED = Date.parse('2026-03-18T09:00:00Z');

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<{ recorded: RecordOutcome; redrive?: RedriveOutcome }>;

let stepFunctions: LocalStepFunctions;
let db: LocalDynamoDB;
let granted: GrantedDynamoDB;
let ledger: Ledger;
let handler: Handler;
let n = 0;

beforeAll(async () => {
  stepFunctions = await startLocalStepFunctions({ region: REGION, credentials: CREDENTIALS });
  db = await startLocalDynamoDB('cs-playbooks-executions-handler-test');
  ledger = new Ledger(db.client, db.tableName);
  granted = await startGrantedDynamoDB(db.endpoint);
  granted.actAs('executions', { statements: tableStatements(ENDPOINT_TABLE_ACCESS.executions) });
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', granted.endpoint);
  vi.stubEnv('TABLE_NAME', db.tableName);
  vi.stubEnv('PLAYBOOK_STATE_MACHINES', JSON.stringify({ [MACHINE]: 'nps-response' }));
  vi.stubEnv('AWS_REGION', REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_SFN', stepFunctions.endpoint);
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'redrive-test');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'CsPlaybooksTest');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.resetModules();
  ({ handler } = (await import('../../functions/executions/handler.ts')) as { handler: Handler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await stepFunctions?.close();
  await granted?.close();
  await db?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
  expect(stepFunctions.refusals).toEqual([]);
});

/** The bus event an NPS execution starts with (ids only), as Step Functions passes its input: JSON text. */
const npsInput = (accountId: string) => JSON.stringify({ 'detail-type': 'NpsResponseReceived', detail: { eventId: `nps-${accountId}`, accountId, score: 3 } });

/** An execution that just failed with `error`, as the rule hands it over. */
function failedExecution(error: string | null, { redriveCount = 0, stopDate = Date.now() } = {}) {
  const executionArn = `${EXECUTIONS}:evt-${++n}`;
  stepFunctions.fail(executionArn);
  return { executionArn, stateMachineArn: STATE_MACHINE, status: 'FAILED', startDate: stopDate - 60_000, error, redriveCount, stopDate, input: npsInput('acc-failing') };
}

/** A status change of a new execution about `accountId`. */
function statusChange(accountId: string, status: string, { redriveCount = 0, name = `run-${++n}` } = {}) {
  const stopped = status !== 'RUNNING';
  return {
    executionArn: `${EXECUTIONS}:${name}`,
    stateMachineArn: STATE_MACHINE,
    status,
    startDate: STARTED,
    stopDate: stopped ? STARTED + 3_600_000 : null,
    redriveCount,
    error: status === 'FAILED' ? 'AutomationFailed' : null,
    input: npsInput(accountId),
  };
}

/** What the function printed (its logs are silent; its metrics, Powertools' embedded metric format, are not). */
const printed: string[] = [];
beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
  vi.spyOn(console, 'log').mockImplementation((...args) => void printed.push(args.map(String).join(' ')));
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

/** The metrics `call` published: name, value and dimensions. */
async function metricsOf(call: () => Promise<unknown>): Promise<{ name: string; value: unknown; dimensions: Record<string, unknown> }[]> {
  const from = printed.length;
  await call();
  return printed
    .slice(from)
    .flatMap((line) => line.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .flatMap((line) => {
      const record = JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[]; Dimensions: string[][] }[] } };
      return record._aws.CloudWatchMetrics.flatMap(({ Metrics, Dimensions }) =>
        Metrics.map(({ Name }) => ({ name: Name, value: record[Name], dimensions: Object.fromEntries(Dimensions.flat().map((key) => [key, record[key]])) })),
      );
    });
}

describe('the account timeline', () => {
  it('given an execution that starts and then succeeds, then its account timeline holds it once, with its playbook, the event that started it, its start, end and status', async () => {
    const started = statusChange('acc-timeline', 'RUNNING', { name: 'detractor-1' });
    await expect(handler(started, lambdaContext('executions'))).resolves.toEqual({ recorded: 'recorded' });
    await handler({ ...started, status: 'SUCCEEDED', stopDate: STARTED + 3_600_000 }, lambdaContext('executions'));
    expect(await ledger.executions.ofAccount('acc-timeline')).toEqual([
      {
        accountId: 'acc-timeline',
        playbook: 'nps-response',
        executionArn: `${EXECUTIONS}:detractor-1`,
        startedBy: { detailType: 'NpsResponseReceived', eventId: 'nps-acc-timeline' },
        startedAt: '2026-03-18T09:00:00.000Z',
        stoppedAt: '2026-03-18T10:00:00.000Z',
        status: 'SUCCEEDED',
        redriveCount: 0,
        order: 1,
      },
    ]);
  });

  it('given the end delivered before the start (EventBridge does not keep order), then the timeline keeps the end', async () => {
    const started = statusChange('acc-late-start', 'RUNNING');
    await handler({ ...started, status: 'SUCCEEDED', stopDate: STARTED + 60_000 }, lambdaContext('executions'));
    await expect(handler(started, lambdaContext('executions'))).resolves.toEqual({ recorded: 'stale' });
    expect((await ledger.executions.ofAccount('acc-late-start')).map((execution) => execution.status)).toEqual(['SUCCEEDED']);
  });

  it('given a failed execution that is redriven, then the timeline says it runs again, redriven once', async () => {
    const failed = statusChange('acc-redriven', 'FAILED');
    await handler(failed, lambdaContext('executions'));
    await handler({ ...failed, status: 'RUNNING', stopDate: null, error: null, redriveCount: 1 }, lambdaContext('executions'));
    expect(await ledger.executions.ofAccount('acc-redriven')).toMatchObject([{ status: 'RUNNING', redriveCount: 1 }]);
  });

  it('given a scheduled run (its input names no account), then nothing is written', async () => {
    await expect(handler({ ...statusChange('x', 'RUNNING'), input: JSON.stringify({ night: '2026-03-18T00:00:00Z' }) }, lambdaContext('executions'))).resolves.toEqual({ recorded: 'no-account' });
  });

  it('given an execution whose input holds more than ids, then the timeline keeps only its account, detail-type and event id', async () => {
    await handler(statusChange('acc-private', 'RUNNING'), lambdaContext('executions'));
    expect(JSON.stringify(await ledger.executions.ofAccount('acc-private'))).not.toContain('score');
  });
});

describe('the redrive of a failed execution', () => {
  it('given an execution whose manual follow-up failed because DynamoDB was down, then Step Functions runs it again from there', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'redriven' } });
    expect(stepFunctions.executions.get(failure.executionArn)).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
  });

  it('given DynamoDB down when an execution fails because of it, then the execution is redriven all the same, and the call fails so that Lambda retries the timeline', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    granted.unavailable();
    try {
      await expect(handler(failure, lambdaContext('redrive'))).rejects.toThrow();
    } finally {
      granted.available();
    }
    expect(stepFunctions.executions.get(failure.executionArn)).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    // Lambda's retry, DynamoDB back: the timeline is written, and the redrive is not done twice.
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toMatchObject({ recorded: 'recorded', redrive: { outcome: 'redriven' } });
    expect(stepFunctions.executions.get(failure.executionArn)?.redriveCount).toBe(1);
  });

  it('given the same failure delivered twice (EventBridge is at least once), then it is redriven once', async () => {
    const failure = failedExecution('Lambda.ServiceException');
    await handler(failure, lambdaContext('redrive'));
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'redriven' } });
    expect(stepFunctions.executions.get(failure.executionArn)?.redriveCount).toBe(1);
  });

  it('given the same failure delivered again after the client token expired, then Step Functions refuses, and the function sees the execution running: nothing stays failed', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    await handler(failure, lambdaContext('redrive'));
    stepFunctions.forgetTokens();
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'already-running' } });
    expect(stepFunctions.executions.get(failure.executionArn)?.redriveCount).toBe(1);
  });

  it('given an execution that failed with no error name (the status change says null), then it stays failed', async () => {
    await expect(handler(failedExecution(null), lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'stays-failed', why: 'not-transient' } });
  });

  it('given a redriven execution that failed again, then it is redriven again, until the fifth redrive; the sixth failure stays failed for ops', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    for (let redriveCount = 0; redriveCount < 5; redriveCount++) {
      await expect(handler({ ...failure, redriveCount }, lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'redriven' } });
      stepFunctions.fail(failure.executionArn);
    }
    await expect(handler({ ...failure, redriveCount: 5 }, lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'stays-failed', why: 'redrives-spent' } });
    expect(stepFunctions.executions.get(failure.executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 5 });
  });

  it("given a failure, then what came of it is counted per state machine (the playbook's StayedFailedAlarm reads ExecutionStayedFailed)", async () => {
    const redriven = failedExecution('AwsServiceUnavailable');
    const stays = failedExecution('AutomationFailed');
    const machine = `${EXECUTIONS.replace(':execution:', ':stateMachine:')}`;
    expect(await metricsOf(() => handler(redriven, lambdaContext('redrive')))).toEqual([{ name: 'ExecutionRedriven', value: 1, dimensions: { service: 'redrive-test', StateMachineArn: machine } }]);
    expect(await metricsOf(() => handler(stays, lambdaContext('redrive')))).toEqual([{ name: 'ExecutionStayedFailed', value: 1, dimensions: { service: 'redrive-test', StateMachineArn: machine } }]);
  });

  it('given an execution that ended in AutomationFailed (the CSM has the manual follow-up), then it is not redriven: it would only fail again', async () => {
    const failure = failedExecution('AutomationFailed');
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'stays-failed', why: 'not-transient' } });
    expect(stepFunctions.executions.get(failure.executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 0 });
  });

  it('given an execution Step Functions will not redrive (its history full), then it stays failed, and the function does not fail', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    stepFunctions.fail(failure.executionArn, { redrivable: false });
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toMatchObject({ redrive: { outcome: 'stays-failed', why: 'not-redrivable' } });
  });

  it('given an event that is not a status change as the rule passes it, then the function refuses it, naming the field', async () => {
    await expect(handler({ ...failedExecution('AwsServiceUnavailable'), executionArn: 'not-an-arn' }, lambdaContext('redrive'))).rejects.toThrow(
      /executionArn/,
    );
  });
});
