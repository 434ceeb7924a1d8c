import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionRecord } from '../runtime/executions.ts';
import type { Sandbox } from '../runtime/sandbox.ts';
import { awsError, type AwsAnswer } from './aws-json.ts';

/**
 * The part of the Step Functions API the ops CLI and the console use, served by the sandbox in AWS
 * JSON 1.0 (`X-Amz-Target: AWSStepFunctions.<Operation>`), so that the same `@aws-sdk/client-sfn` code
 * runs against `npm start` and against AWS: ListExecutions, DescribeExecution, GetExecutionHistory,
 * DescribeStateMachine and RedriveExecution, with the shapes, pagination and errors of the API
 * reference. The sandbox checks no signature: it listens on 127.0.0.1 only.
 */
export const STEP_FUNCTIONS_TARGET = 'AWSStepFunctions.';

type Body = Record<string, unknown>;
type Operation = (sandbox: Sandbox, body: Body) => AwsAnswer | Promise<AwsAnswer>;

const ARN = /^arn:aws:states:local:000000000000:(stateMachine|execution):([^:]+)(?::([^:]+))?$/;
const typed = (type: string, message: string) => awsError(400, `com.amazonaws.swf.service.v2.model#${type}`, message);
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

const OPERATIONS: Record<string, Operation> = {
  ListExecutions(sandbox, body) {
    const playbook = stateMachineOf(body.stateMachineArn);
    if (!playbook || !sandbox.stateMachine(playbook)) return typed('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(body.stateMachineArn)}'`);
    const status = typeof body.statusFilter === 'string' ? body.statusFilter : undefined;
    // Newest first, as the API lists them.
    const matching = sandbox.executions.filter((execution) => execution.playbook === playbook && (!status || execution.status === status)).reverse();
    const { page, nextToken } = paginate(matching, body, 100, 1000);
    return { status: 200, body: { executions: page.map(listItem), ...(nextToken ? { nextToken } : {}) } };
  },

  DescribeExecution(sandbox, body) {
    const found = typeof body.executionArn === 'string' ? sandbox.execution(body.executionArn) : undefined;
    if (!found) return typed('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
    const { record, input } = found;
    const redrivable = record.status !== 'RUNNING' && record.status !== 'SUCCEEDED' && record.failedIn !== undefined;
    return {
      status: 200,
      body: {
        ...listItem(record),
        input,
        inputDetails: { included: true },
        ...(record.status === 'SUCCEEDED' ? { output: JSON.stringify(record.output ?? null), outputDetails: { included: true } } : {}),
        ...(record.error ? { error: record.error, cause: record.cause } : {}),
        redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
        ...(redrivable ? {} : { redriveStatusReason: `Execution is ${record.status} and cannot be redriven` }),
      },
    };
  },

  GetExecutionHistory(sandbox, body) {
    const history = typeof body.executionArn === 'string' ? sandbox.history(body.executionArn) : undefined;
    if (!history) return typed('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
    const ordered = body.reverseOrder === true ? [...history.events].reverse() : history.events;
    const { page, nextToken } = paginate(ordered, body, 100, 1000);
    const withData = body.includeExecutionData !== false;
    return { status: 200, body: { events: page.map((event) => wireEvent(event, withData)), ...(nextToken ? { nextToken } : {}) } };
  },

  DescribeStateMachine(sandbox, body) {
    const playbook = stateMachineOf(body.stateMachineArn);
    const machine = playbook ? sandbox.stateMachine(playbook) : undefined;
    if (!playbook || !machine) return typed('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(body.stateMachineArn)}'`);
    return {
      status: 200,
      body: {
        stateMachineArn: body.stateMachineArn,
        name: playbook,
        status: 'ACTIVE',
        definition: JSON.stringify(machine.definition),
        roleArn: `arn:aws:iam::000000000000:role/${playbook}`,
        type: 'STANDARD',
        description: machine.description,
        revisionId: machine.revision,
        creationDate: 0,
      },
    };
  },

  async RedriveExecution(sandbox, body) {
    if (typeof body.executionArn !== 'string' || !ARN.test(body.executionArn)) return typed('InvalidArn', `Invalid Arn: '${String(body.executionArn)}'`);
    const result = await sandbox.redriveExecution(body.executionArn);
    if ('refused' in result) return typed(result.refused, result.message);
    return { status: 200, body: { redriveDate: seconds(result.redriveDate) } };
  },
};

/** Answers one Step Functions request (`operation` from X-Amz-Target, after the prefix). */
export async function stepFunctionsRequest(sandbox: Sandbox, operation: string, body: Body): Promise<AwsAnswer> {
  const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!run) return awsError(400, 'UnknownOperationException', `The sandbox serves ${Object.keys(OPERATIONS).join(', ')}; not ${operation}`);
  return run(sandbox, body);
}

function listItem(record: ExecutionRecord) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.executionArn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
    name: record.name,
    status: record.status,
    startDate: seconds(record.startedAt),
    ...(record.stoppedAt !== undefined ? { stopDate: seconds(record.stoppedAt) } : {}),
    redriveCount: record.redriveCount,
  };
}

function stateMachineOf(arn: unknown): string | undefined {
  const match = typeof arn === 'string' ? ARN.exec(arn) : null;
  return match?.[1] === 'stateMachine' && match[3] === undefined ? match[2] : undefined;
}

/** `maxResults` (0 means the default) and an opaque `nextToken`: the offset of the next page. */
function paginate<T>(items: readonly T[], body: Body, defaultSize: number, maxSize: number): { page: T[]; nextToken?: string } {
  const size = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, maxSize) : defaultSize;
  const offset = typeof body.nextToken === 'string' ? Number.parseInt(Buffer.from(body.nextToken, 'base64url').toString(), 10) || 0 : 0;
  const page = items.slice(offset, offset + size);
  return offset + size < items.length ? { page, nextToken: Buffer.from(String(offset + size)).toString('base64url') } : { page };
}

/** A history event on the wire: timestamps in epoch seconds; without inputs and outputs unless asked. */
function wireEvent(event: HistoryEvent, withData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...event, timestamp: seconds(event.timestamp!.getTime()) };
  if (!withData) {
    for (const [key, details] of Object.entries(wire)) {
      if (key.endsWith('EventDetails') && typeof details === 'object' && details !== null) {
        const { input: _input, output: _output, ...rest } = details as Record<string, unknown>;
        wire[key] = rest;
      }
    }
  }
  return wire;
}
