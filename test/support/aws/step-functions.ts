import { AWS_JSON_1_0, error, startAwsJsonServer, type AwsJsonServer, type LocalAwsEndpointOptions } from './json-protocol-server.ts';

export interface LocalStepFunctions extends AwsJsonServer {
  /** Park a task on `token`, as a `.waitForTaskToken` Task state does when it starts. */
  park(token: string): void;
  /** Time the task out, as its TimeoutSeconds does: its token then answers TaskTimedOut. */
  timeOut(token: string): void;
  /** What each token was completed with: `{ output }` or `{ error, cause }`. */
  readonly completed: ReadonlyMap<string, { output?: unknown; error?: string; cause?: string }>;
  /** An execution that failed (`redrivable`: within its 14 days, history not full), as RedriveExecution finds it. */
  fail(executionArn: string, options?: { redrivable?: boolean }): void;
  /** The client tokens' 15 minutes are over. */
  forgetTokens(): void;
  /** Each execution's status and redrive count, as DescribeExecution would say. */
  readonly executions: ReadonlyMap<string, { status: 'RUNNING' | 'FAILED'; redriveCount: number; redrivable: boolean }>;
}

/**
 * Step Functions' task callbacks (AWS JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Operation>`), per the
 * API reference: `SendTaskSuccess { taskToken, output }` (output a JSON text, InvalidOutput otherwise),
 * `SendTaskFailure { taskToken, error?, cause? }`; a token completes its task once; an unknown token is
 * `InvalidToken`, a timed-out or completed one `TaskTimedOut` (400, the type in `__type` with its
 * namespace, as the service sends it). And `RedriveExecution { executionArn, clientToken? }`: a failed,
 * redrivable execution runs again (`{ redriveDate }`); one running or not redrivable is
 * `ExecutionNotRedrivable`, an unknown one `ExecutionDoesNotExist`; a client token used for a successful
 * redrive of that execution answers as that redrive did (the API keeps the last 10, for 15 minutes; this
 * server, until `forgetTokens`). `DescribeExecution { executionArn }`: its status and redrive count.
 */
export async function startLocalStepFunctions(options: LocalAwsEndpointOptions): Promise<LocalStepFunctions> {
  const parked = new Set<string>();
  const closed = new Set<string>();
  const completed = new Map<string, { output?: unknown; error?: string; cause?: string }>();
  const typed = (type: string, message: string) => error(400, `com.amazonaws.swf.service.v2.model#${type}`, message);
  const take = (token: unknown) => {
    if (typeof token !== 'string' || token.length === 0) return typed('InvalidToken', 'Invalid Token');
    if (closed.has(token)) return typed('TaskTimedOut', 'Task Timed Out');
    if (!parked.has(token)) return typed('InvalidToken', 'Invalid Token');
    return undefined;
  };
  const executions = new Map<string, { status: 'RUNNING' | 'FAILED'; redriveCount: number; redrivable: boolean; tokens: Map<string, number> }>();
  const close = (token: string) => {
    parked.delete(token);
    closed.add(token);
  };
  const server = await startAwsJsonServer(
    {
      targetPrefix: 'AWSStepFunctions',
      signingName: 'states',
      contentType: AWS_JSON_1_0,
      operations: {
        SendTaskSuccess: (body) => {
          const refusal = take(body.taskToken);
          if (refusal) return refusal;
          let output: unknown;
          try {
            output = JSON.parse(String(body.output));
          } catch {
            return typed('InvalidOutput', 'Invalid JSON output');
          }
          close(body.taskToken as string);
          completed.set(body.taskToken as string, { output });
          return { status: 200, body: {} };
        },
        SendTaskFailure: (body) => {
          const refusal = take(body.taskToken);
          if (refusal) return refusal;
          close(body.taskToken as string);
          completed.set(body.taskToken as string, { error: body.error as string, cause: body.cause as string });
          return { status: 200, body: {} };
        },
        RedriveExecution: (body) => {
          const arn = body.executionArn;
          if (typeof arn !== 'string' || !/^arn:aws:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) return typed('InvalidArn', `Invalid Arn: '${String(arn)}'`);
          const token = body.clientToken;
          if (token !== undefined && (typeof token !== 'string' || !/^[!-~]{1,64}$/.test(token))) return error(400, 'ValidationException', 'clientToken: 1 to 64 printable characters');
          const execution = executions.get(arn);
          if (!execution) return typed('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
          const earlier = typeof token === 'string' ? execution.tokens.get(token) : undefined;
          if (earlier) return { status: 200, body: { redriveDate: earlier } };
          if (execution.status !== 'FAILED' || !execution.redrivable) return typed('ExecutionNotRedrivable', `Execution is ${execution.status} and cannot be redriven`);
          const redriveDate = Date.now() / 1000;
          execution.status = 'RUNNING';
          execution.redriveCount += 1;
          if (typeof token === 'string') execution.tokens.set(token, redriveDate);
          return { status: 200, body: { redriveDate } };
        },
        DescribeExecution: (body) => {
          const arn = body.executionArn;
          const execution = typeof arn === 'string' ? executions.get(arn) : undefined;
          if (!execution) return typed('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
          const [machine] = /:execution:([^:]+):/.exec(arn as string)!.slice(1);
          return {
            status: 200,
            body: {
              executionArn: arn,
              stateMachineArn: (arn as string).replace(/:execution:([^:]+):[^:]+$/, `:stateMachine:${machine}`),
              status: execution.status,
              startDate: 0,
              redriveCount: execution.redriveCount,
              redriveStatus: execution.status === 'FAILED' && execution.redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
            },
          };
        },
      },
    },
    options,
  );
  return Object.assign(server, {
    park: (token: string) => void parked.add(token),
    timeOut: (token: string) => close(token),
    completed,
    fail: (executionArn: string, { redrivable = true } = {}) => {
      const execution = executions.get(executionArn);
      if (execution) Object.assign(execution, { status: 'FAILED', redrivable });
      else executions.set(executionArn, { status: 'FAILED', redriveCount: 0, redrivable, tokens: new Map() });
    },
    executions,
    forgetTokens: () => {
      for (const execution of executions.values()) execution.tokens.clear();
    },
  });
}
