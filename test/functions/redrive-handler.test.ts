import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RedriveOutcome } from '../../functions/redrive/redrive-failed-execution.ts';
import { lambdaContext } from '../support/aws/lambda-context.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from '../support/aws/step-functions.ts';

// The redrive Lambda (functions/redrive/handler.ts) as the stage's rule invokes it, with what the rule's
// input transformer keeps of a "Step Functions Execution Status Change" to FAILED, through its real SDK
// client: Step Functions is a local endpoint on 127.0.0.1 implementing RedriveExecution as documented,
// checking the protocol and the SigV4 signature of every request.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIAREDRIVETEST00001', secretAccessKey: 'redrive-test-secret-access-key' };
const EXECUTIONS = 'arn:aws:states:eu-west-3:123456789012:execution:NpsResponsePlaybookStateMachine1A2B3C4D-AbCdEfGhIjKl';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<RedriveOutcome>;

let stepFunctions: LocalStepFunctions;
let handler: Handler;
let n = 0;

beforeAll(async () => {
  stepFunctions = await startLocalStepFunctions({ region: REGION, credentials: CREDENTIALS });
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
  ({ handler } = (await import('../../functions/redrive/handler.ts')) as { handler: Handler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await stepFunctions?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
  expect(stepFunctions.refusals).toEqual([]);
});

/** An execution that just failed with `error`, as the rule hands it over. */
function failedExecution(error: string | null, { redriveCount = 0, stopDate = Date.now() } = {}) {
  const executionArn = `${EXECUTIONS}:evt-${++n}`;
  stepFunctions.fail(executionArn);
  return { executionArn, error, redriveCount, stopDate };
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

describe('the redrive function', () => {
  it('given an execution whose manual follow-up failed because DynamoDB was down, then Step Functions runs it again from there', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toEqual({ outcome: 'redriven' });
    expect(stepFunctions.executions.get(failure.executionArn)).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
  });

  it('given the same failure delivered twice (EventBridge is at least once), then it is redriven once', async () => {
    const failure = failedExecution('Lambda.ServiceException');
    await handler(failure, lambdaContext('redrive'));
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toEqual({ outcome: 'redriven' });
    expect(stepFunctions.executions.get(failure.executionArn)?.redriveCount).toBe(1);
  });

  it('given the same failure delivered again after the client token expired, then Step Functions refuses, and the function sees the execution running: nothing stays failed', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    await handler(failure, lambdaContext('redrive'));
    stepFunctions.forgetTokens();
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toEqual({ outcome: 'already-running' });
    expect(stepFunctions.executions.get(failure.executionArn)?.redriveCount).toBe(1);
  });

  it('given an execution that failed with no error name (the status change says null), then it stays failed', async () => {
    await expect(handler(failedExecution(null), lambdaContext('redrive'))).resolves.toEqual({ outcome: 'stays-failed', why: 'not-transient' });
  });

  it('given a redriven execution that failed again, then it is redriven again, until the fifth redrive; the sixth failure stays failed for ops', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    for (let redriveCount = 0; redriveCount < 5; redriveCount++) {
      await expect(handler({ ...failure, redriveCount }, lambdaContext('redrive'))).resolves.toEqual({ outcome: 'redriven' });
      stepFunctions.fail(failure.executionArn);
    }
    await expect(handler({ ...failure, redriveCount: 5 }, lambdaContext('redrive'))).resolves.toEqual({ outcome: 'stays-failed', why: 'redrives-spent' });
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
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toEqual({ outcome: 'stays-failed', why: 'not-transient' });
    expect(stepFunctions.executions.get(failure.executionArn)).toMatchObject({ status: 'FAILED', redriveCount: 0 });
  });

  it('given an execution Step Functions will not redrive (its history full), then it stays failed, and the function does not fail', async () => {
    const failure = failedExecution('AwsServiceUnavailable');
    stepFunctions.fail(failure.executionArn, { redrivable: false });
    await expect(handler(failure, lambdaContext('redrive'))).resolves.toEqual({ outcome: 'stays-failed', why: 'not-redrivable' });
  });

  it('given an event that is not a failed execution as the rule passes it, then the function refuses it, naming the field', async () => {
    await expect(handler({ executionArn: 'not-an-arn', error: 'AwsServiceUnavailable', redriveCount: 0, stopDate: Date.now() }, lambdaContext('redrive'))).rejects.toThrow(
      /executionArn/,
    );
  });
});
