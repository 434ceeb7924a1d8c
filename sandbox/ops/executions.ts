import { createHash } from 'node:crypto';
import { DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, type HistoryEvent, ListExecutionsCommand, RedriveExecutionCommand, type ExecutionStatus, type SFNClient } from '@aws-sdk/client-sfn';
import { accountOfInput, parseExecutionInput, startingEventOf, type StartingEvent, type TimelineExecution } from '../../functions/core/executions/timeline.ts';
import type { OpsTarget } from './target.ts';
import { waitingOf, type Definition, type ExecutionWaiting } from './waiting.ts';

/** One execution of an account, as `playbooks executions` shows it: the timeline's entry, brought up to date by Step Functions. */
export interface AccountExecution {
  /** Its account ('' for a scheduled run of the stage). */
  accountId: string;
  playbook: string;
  executionArn: string;
  status: string;
  startedAt: string;
  stoppedAt?: string;
  startedBy: StartingEvent;
  redriveCount: number;
  error?: string;
  cause?: string;
  /** A running one's: what it waits for and until when. */
  waiting?: ExecutionWaiting;
  /** Where to look at it: the Step Functions console on AWS, the sandbox's console locally. */
  link?: string;
  /** Why Step Functions said nothing of it, the timeline's word standing: it forgot it (90 days after its end), or ops may not look. */
  unknownToStepFunctions?: string;
}

/** How many executions a command describes, newest first, unless asked for more: each is a DescribeExecution. */
export const DEFAULT_LIMIT = 20;

/**
 * An account's executions, newest first: found on its timeline in the ledger (no search of Step
 * Functions by input), each described by Step Functions (its status may be newer than the timeline's,
 * written asynchronously), a running one's wait read from its latest history.
 */
export async function accountExecutions(target: OpsTarget, accountId: string, { limit = DEFAULT_LIMIT }: { limit?: number } = {}): Promise<AccountExecution[]> {
  const timeline = await target.timeline.ofAccount(accountId, { limit });
  const definitions = new Map<string, Promise<Definition>>();
  return Promise.all(timeline.map((entry) => described(target, entry, definitions)));
}

async function described(target: OpsTarget, entry: TimelineExecution, definitions: Map<string, Promise<Definition>>): Promise<AccountExecution> {
  const link = target.consoleLink(entry.executionArn);
  const execution = await target.stepFunctions.send(new DescribeExecutionCommand({ executionArn: entry.executionArn })).catch((error: unknown) => {
    const name = (error as { name?: string }).name;
    if (name === 'ExecutionDoesNotExist' || name === 'AccessDeniedException') return name;
    throw error;
  });
  if (typeof execution === 'string') {
    // The timeline outlives Step Functions' history (400 days against 90), and a replaced state machine's executions are outside the ops policy.
    const { accountId, playbook, executionArn, startedBy, startedAt, stoppedAt, status, redriveCount, error } = entry;
    return { accountId, playbook, executionArn, startedBy, startedAt, ...(stoppedAt ? { stoppedAt } : {}), status, redriveCount, ...(error ? { error } : {}), unknownToStepFunctions: execution };
  }
  const row: AccountExecution = {
    accountId: entry.accountId,
    playbook: entry.playbook,
    executionArn: entry.executionArn,
    status: execution.status ?? entry.status,
    startedAt: entry.startedAt,
    ...(execution.stopDate ? { stoppedAt: execution.stopDate.toISOString() } : {}),
    startedBy: entry.startedBy,
    redriveCount: execution.redriveCount ?? entry.redriveCount,
    ...(execution.error ? { error: execution.error } : {}),
    ...(execution.cause ? { cause: execution.cause } : {}),
    ...(link ? { link } : {}),
  };
  if (execution.status !== 'RUNNING' || !execution.stateMachineArn) return row;
  const stateMachineArn = execution.stateMachineArn;
  if (!definitions.has(stateMachineArn)) definitions.set(stateMachineArn, definitionOf(target.stepFunctions, stateMachineArn));
  const [history, definition] = await Promise.all([
    target.stepFunctions.send(new GetExecutionHistoryCommand({ executionArn: entry.executionArn, reverseOrder: true, maxResults: 20 })),
    definitions.get(stateMachineArn)!,
  ]);
  const waiting = waitingOf(history.events ?? [], definition);
  return waiting ? { ...row, waiting } : row;
}

/**
 * A playbook's executions, newest first (ListExecutions, `status` only when given), each described with
 * its account and the event that started it, read from its input: what an alarm naming the playbook
 * leads to.
 */
export async function playbookExecutions(target: OpsTarget, playbook: string, { status, limit = DEFAULT_LIMIT }: { status?: ExecutionStatus; limit?: number } = {}): Promise<AccountExecution[]> {
  const stateMachineArn = target.stateMachineArn(playbook);
  const { executions = [] } = await target.stepFunctions.send(new ListExecutionsCommand({ stateMachineArn, maxResults: limit, ...(status ? { statusFilter: status } : {}) }));
  const definitions = new Map<string, Promise<Definition>>();
  return Promise.all(
    executions.map(async ({ executionArn, startDate }) => {
      const { input } = await target.stepFunctions.send(new DescribeExecutionCommand({ executionArn }));
      const parsed = parseExecutionInput(input);
      const entry: TimelineExecution = {
        accountId: accountOfInput(parsed) ?? '',
        playbook,
        executionArn: executionArn!,
        startedBy: startingEventOf(parsed),
        startedAt: (startDate ?? new Date(0)).toISOString(),
        status: 'RUNNING',
        redriveCount: 0,
        order: 0,
      };
      return described(target, entry, definitions);
    }),
  );
}

async function definitionOf(stepFunctions: SFNClient, stateMachineArn: string): Promise<Definition> {
  const { definition } = await stepFunctions.send(new DescribeStateMachineCommand({ stateMachineArn }));
  return JSON.parse(definition ?? '{"States":{}}') as Definition;
}

/** An execution's whole history, oldest first, every page. */
export async function executionHistory(stepFunctions: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await stepFunctions.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/**
 * RedriveExecution, with a client token per execution and redrive (its redrive count now): the same
 * command run again, or retried by the SDK, redrives once; a redrive after the next failure is a new one.
 */
export async function redriveExecution(stepFunctions: SFNClient, executionArn: string): Promise<Date | undefined> {
  const { redriveCount = 0 } = await stepFunctions.send(new DescribeExecutionCommand({ executionArn }));
  const clientToken = `playbooks-redrive-${redriveCount}-${createHash('sha256').update(executionArn).digest('hex').slice(0, 40)}`;
  const { redriveDate } = await stepFunctions.send(new RedriveExecutionCommand({ executionArn, clientToken }));
  return redriveDate;
}
