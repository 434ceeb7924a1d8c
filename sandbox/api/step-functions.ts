import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { stateMachineOf } from '../../functions/executions/redrive-failed-execution.ts';
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
    const playbook = playbookOfArn(body.stateMachineArn);
    if (!playbook || !sandbox.stateMachine(playbook)) return typed('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(body.stateMachineArn)}'`);
    const status = typeof body.statusFilter === 'string' ? body.statusFilter : undefined;
    // Newest first, as the API lists them; a page goes on from the execution before the last one listed (the list only grows at its head).
    const matching = sandbox.executions.map((execution, index) => ({ execution, index })).filter(({ execution }) => execution.playbook === playbook && (!status || execution.status === status)).reverse();
    const { page, nextToken } = paginate(matching, ({ index }) => index, 'descending', body, 100, 1000);
    return { status: 200, body: { executions: page.map(({ execution }) => listItem(execution)), ...(nextToken ? { nextToken } : {}) } };
  },

  DescribeExecution(sandbox, body) {
    const found = typeof body.executionArn === 'string' ? sandbox.execution(body.executionArn) : undefined;
    if (!found) return typed('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
    const { record, input } = found;
    const refusal = sandbox.redriveRefusal(record);
    return {
      status: 200,
      body: {
        ...listItem(record),
        input,
        inputDetails: { included: true },
        ...(record.status === 'SUCCEEDED' ? { output: JSON.stringify(record.output ?? null), outputDetails: { included: true } } : {}),
        ...(record.error ? { error: record.error, cause: record.cause } : {}),
        redriveStatus: refusal ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
        ...(refusal ? { redriveStatusReason: refusal } : {}),
      },
    };
  },

  GetExecutionHistory(sandbox, body) {
    const history = typeof body.executionArn === 'string' ? sandbox.history(body.executionArn) : undefined;
    if (!history) return typed('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
    const reverse = body.reverseOrder === true;
    const ordered = reverse ? [...history.events].reverse() : history.events;
    const { page, nextToken } = paginate(ordered, (event) => event.id!, reverse ? 'descending' : 'ascending', body, 100, 1000);
    const withData = body.includeExecutionData !== false;
    return { status: 200, body: { events: page.map((event) => wireEvent(event, withData)), ...(nextToken ? { nextToken } : {}) } };
  },

  DescribeStateMachine(sandbox, body) {
    const playbook = playbookOfArn(body.stateMachineArn);
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
    // A client token used for a redrive of this execution answers as that redrive did (the API keeps them 15 minutes; the sandbox, while it runs).
    const tokens = redriveTokens(sandbox, body.executionArn);
    const earlier = typeof body.clientToken === 'string' ? tokens.get(body.clientToken) : undefined;
    if (earlier !== undefined) return { status: 200, body: { redriveDate: seconds(earlier) } };
    const result = await sandbox.redriveExecution(body.executionArn);
    if ('refused' in result) return typed(result.refused, result.message);
    if (typeof body.clientToken === 'string') tokens.set(body.clientToken, result.redriveDate);
    return { status: 200, body: { redriveDate: seconds(result.redriveDate) } };
  },
};

const tokensBySandbox = new WeakMap<Sandbox, Map<string, Map<string, number>>>();

function redriveTokens(sandbox: Sandbox, executionArn: string): Map<string, number> {
  const executions = tokensBySandbox.get(sandbox) ?? new Map<string, Map<string, number>>();
  tokensBySandbox.set(sandbox, executions);
  const tokens = executions.get(executionArn) ?? new Map<string, number>();
  executions.set(executionArn, tokens);
  return tokens;
}

/** Answers one Step Functions request (`operation` from X-Amz-Target, after the prefix). */
export async function stepFunctionsRequest(sandbox: Sandbox, operation: string, body: Body): Promise<AwsAnswer> {
  const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!run) return awsError(400, 'UnknownOperationException', `The sandbox serves ${Object.keys(OPERATIONS).join(', ')}; not ${operation}`);
  return run(sandbox, body);
}

function listItem(record: ExecutionRecord) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: stateMachineOf(record.executionArn),
    name: record.name,
    status: record.status,
    startDate: seconds(record.startedAt),
    ...(record.stoppedAt !== undefined ? { stopDate: seconds(record.stoppedAt) } : {}),
    redriveCount: record.redriveCount,
  };
}

/** The playbook a sandbox state machine's ARN names (`…:stateMachine:<playbook>`). */
function playbookOfArn(arn: unknown): string | undefined {
  const match = typeof arn === 'string' ? ARN.exec(arn) : null;
  return match?.[1] === 'stateMachine' && match[3] === undefined ? match[2] : undefined;
}

/**
 * `maxResults` (0 means the default) and an opaque `nextToken`: the key of the last item listed, the next
 * page going on after it in the list's order, so that items added meanwhile neither repeat nor skip one.
 */
function paginate<T>(items: readonly T[], keyOf: (item: T) => number, order: 'ascending' | 'descending', body: Body, defaultSize: number, maxSize: number): { page: T[]; nextToken?: string } {
  const size = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, maxSize) : defaultSize;
  const after = typeof body.nextToken === 'string' ? Number(Buffer.from(body.nextToken, 'base64url').toString()) : undefined;
  const rest = after === undefined || Number.isNaN(after) ? items : items.filter((item) => (order === 'ascending' ? keyOf(item) > after : keyOf(item) < after));
  const page = rest.slice(0, size);
  return rest.length > size ? { page, nextToken: Buffer.from(String(keyOf(page.at(-1)!))).toString('base64url') } : { page };
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
