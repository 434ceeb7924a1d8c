/**
 * Resuming an execution parked on a `.waitForTaskToken` Task: Step Functions' `SendTaskSuccess` and
 * `SendTaskFailure`, over its AWS JSON 1.0 API with `fetch` and a SigV4 signature (../email/sigv4.ts)
 * rather than @aws-sdk/client-sfn, which is not a dependency of this project and whose protocol stack
 * would weigh on the 300 KB bundles for two one-line calls. The sandbox implements the same port
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
import { awsRegion, credentialsFromEnvironment } from '../aws-environment.ts';
import { signRequest, type AwsCredentials } from '../email/sigv4.ts';

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
const RETRYABLE = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'ServiceUnavailable', 'InternalFailure']);
/** SendTaskFailure's limits: longer values are cut, never refused. */
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

export interface StepFunctionsConfig {
  region: string;
  /** Defaults to https://states.<region>.amazonaws.com; tests point it at a local server. */
  endpoint?: string | undefined;
  /** Lambda's role credentials are in its environment; read at each call, never cached here. */
  credentials(): AwsCredentials;
  now(): Date;
  timeoutMs?: number | undefined;
  fetch?: typeof globalThis.fetch | undefined;
}

export class StepFunctionsCallbacks implements TaskCallbacks {
  private readonly url: URL;

  constructor(private readonly config: StepFunctionsConfig) {
    this.url = new URL(`${(config.endpoint ?? `https://states.${config.region}.amazonaws.com`).replace(/\/+$/, '')}/`);
  }

  sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    return this.call('SendTaskSuccess', { taskToken, output: JSON.stringify(output) });
  }

  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    return this.call('SendTaskFailure', { taskToken, error: error.slice(0, MAX_ERROR_LENGTH), cause: cause.slice(0, MAX_CAUSE_LENGTH) });
  }

  private async call(operation: 'SendTaskSuccess' | 'SendTaskFailure', request: Record<string, string>): Promise<void> {
    const body = JSON.stringify(request);
    const headers = await signRequest({
      method: 'POST',
      url: this.url,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` },
      body,
      service: 'states',
      region: this.config.region,
      credentials: this.config.credentials(),
      now: this.config.now(),
    });
    let response: Response;
    let text: string;
    try {
      response = await (this.config.fetch ?? globalThis.fetch)(this.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 3_000),
      });
      text = await response.text();
    } catch (thrown) {
      throw new StepFunctionsUnavailable(operation, (thrown as Error).name === 'TimeoutError' ? 'timeout' : 'network error');
    }
    if (response.ok) return;
    const code = errorType(response.headers.get('x-amzn-errortype'), text);
    if (code !== undefined && GONE.has(code)) throw new TaskTokenGone(code as TaskTokenGone['code']);
    if (code === 'InvalidOutput') throw new TaskOutputRefused();
    if (response.status >= 500 || response.status === 429 || (code !== undefined && RETRYABLE.has(code))) {
      throw new StepFunctionsUnavailable(operation, `HTTP ${response.status}${code ? ` ${code}` : ''}`);
    }
    throw new StepFunctionsRefused(operation, response.status, code);
  }
}

/** `com.amazonaws.swf.service.v2.model#TaskTimedOut` or `TaskTimedOut:http://…` → `TaskTimedOut`; only identifiers are kept. */
function errorType(header: string | null, text: string): string | undefined {
  let fromBody: unknown;
  try {
    const json = JSON.parse(text) as { __type?: unknown; code?: unknown };
    fromBody = json.__type ?? json.code;
  } catch {
    fromBody = undefined;
  }
  for (const raw of [header, fromBody]) {
    if (typeof raw !== 'string') continue;
    const name = raw.split(':')[0]!.split('#').pop()!;
    if (/^[A-Za-z0-9_.-]{1,80}$/.test(name)) return name;
  }
  return undefined;
}

/** The adapter a Lambda builds from its environment: region, optional endpoint, the role's credentials. */
export function stepFunctionsFromEnvironment(env: Readonly<Record<string, string | undefined>>, now: () => Date): StepFunctionsCallbacks {
  return new StepFunctionsCallbacks({
    region: awsRegion(env),
    // The SDK's own variable for a service endpoint (service id SFN), so tests point it at a local server.
    endpoint: env.AWS_ENDPOINT_URL_SFN,
    credentials: () => credentialsFromEnvironment(env),
    now,
  });
}
