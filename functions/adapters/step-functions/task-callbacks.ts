/**
 * Resuming an execution parked on a `.waitForTaskToken` Task: Step Functions' `SendTaskSuccess` and
 * `SendTaskFailure`, over its AWS JSON 1.0 API with `fetch` and a SigV4 signature (../aws-json.ts)
 * rather than @aws-sdk/client-sfn, which is not a dependency of this project and whose protocol stack
 * would weigh on the budgeted bundles for two one-line calls. The sandbox implements the same port
 * (sandbox/runtime/callbacks.ts), so the code that decides an approval runs unchanged on both.
 *
 * Contract followed (AWS docs, Step Functions API reference):
 * - `POST /` on `https://states.<region>.amazonaws.com`, `Content-Type: application/x-amz-json-1.0`,
 *   `X-Amz-Target: AWSStepFunctions.SendTaskSuccess` (or `.SendTaskFailure`), SigV4 signing name `states`.
 * - SendTaskSuccess `{ taskToken, output }` (output: a JSON text, at most 256 KB); SendTaskFailure
 *   `{ taskToken, error, cause }` (error ≤ 256 characters, cause ≤ 32 768).
 * - Errors (HTTP 400, type in `__type` or `X-Amzn-ErrorType`): `TaskTimedOut` (the task's timeout or
 *   heartbeat passed, or it was already completed), `TaskDoesNotExist`, `InvalidToken`, `InvalidOutput`;
 *   throttling and 5xx are worth a retry.
 *
 * Tokens are credentials for one task: they are never logged, and errors never echo them.
 */
import { awsJsonServiceFromEnvironment, AwsServiceError, AwsServiceUnavailable, callAwsJson, type AwsJsonService } from '../aws-json.ts';

/** The port: what resumes a parked execution, on AWS or in the sandbox. */
export interface TaskCallbacks {
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
}

/** Step Functions no longer waits on this token: its Task timed out or ended, or the token is not one of its own. */
export class TaskTokenGone extends Error {
  override readonly name = 'TaskTokenGone';
  constructor(readonly code: 'TaskTimedOut' | 'TaskDoesNotExist' | 'InvalidToken') {
    super(`Step Functions answered ${code}: nothing waits on this task token any more`);
  }
}

/** `InvalidOutput`: the output is not JSON or is over 256 KB. The task still waits. */
export class TaskOutputRefused extends Error {
  override readonly name = 'TaskOutputRefused';
  constructor() {
    super('Step Functions refused the task output (InvalidOutput: not JSON, or over 256 KB)');
  }
}

/** Throttled, 5xx, a timeout or a network failure: nothing happened, send again later. */
export class StepFunctionsUnavailable extends Error {
  override readonly name = 'StepFunctionsUnavailable';
  constructor(operation: string, detail: string) {
    super(`Step Functions ${operation} unavailable: ${detail}`);
  }
}

/** Any other refusal (AccessDenied, a malformed request): ours to fix, not worth a retry. */
export class StepFunctionsRefused extends Error {
  override readonly name = 'StepFunctionsRefused';
  constructor(operation: string, status: number, code: string | undefined) {
    super(`Step Functions ${operation} refused: HTTP ${status}${code ? ` ${code}` : ''}`);
  }
}

const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);
/** SendTaskFailure's limits: longer values are cut, never refused. */
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

export class StepFunctionsCallbacks implements TaskCallbacks {
  constructor(private readonly stepFunctions: AwsJsonService) {}

  sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    return this.call('SendTaskSuccess', { taskToken, output: JSON.stringify(output) });
  }

  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    return this.call('SendTaskFailure', { taskToken, error: error.slice(0, MAX_ERROR_LENGTH), cause: cause.slice(0, MAX_CAUSE_LENGTH) });
  }

  private async call(operation: 'SendTaskSuccess' | 'SendTaskFailure', request: Record<string, string>): Promise<void> {
    try {
      // One attempt: the caller (a Lambda Step Functions retries, or an endpoint whose client sends again) decides.
      await callAwsJson(this.stepFunctions, operation, request, { attempts: 1 });
    } catch (error) {
      if (error instanceof AwsServiceUnavailable) throw new StepFunctionsUnavailable(operation, error.detail);
      if (!(error instanceof AwsServiceError)) throw error;
      if (error.code !== undefined && GONE.has(error.code)) throw new TaskTokenGone(error.code as TaskTokenGone['code']);
      if (error.code === 'InvalidOutput') throw new TaskOutputRefused();
      throw new StepFunctionsRefused(operation, error.status, error.code);
    }
  }
}

/** The adapter a Lambda builds from its environment: region, the role's credentials, and `AWS_ENDPOINT_URL_SFN` (the SDK's own variable, service id SFN). */
export function stepFunctionsFromEnvironment(env: Readonly<Record<string, string | undefined>>, now: () => Date): StepFunctionsCallbacks {
  return new StepFunctionsCallbacks(awsJsonServiceFromEnvironment(env, now, { signingName: 'states', targetPrefix: 'AWSStepFunctions', protocol: '1.0', endpointVariable: 'AWS_ENDPOINT_URL_SFN' }));
}
