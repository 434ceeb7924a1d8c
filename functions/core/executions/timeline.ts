/**
 * Every playbook execution on its account's timeline: the answer to "what happened to this account's
 * detractor answer?" without searching Step Functions by input. Written from Step Functions' own
 * status changes (each start, end and redrive), in both runtimes.
 */

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** An execution's ARN: `arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>`. */
export const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** What a "Step Functions Execution Status Change" says, as the stage's rule passes it on. */
export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  status: ExecutionStatus;
  /** Milliseconds since the epoch. */
  startDate: number;
  stopDate?: number | null;
  redriveCount: number;
  error?: string | null;
  /** The execution's input, as JSON text: a bus event (ids only), a check or a reminder. */
  input?: string | null;
}

/** The event that started an execution: what ops look for first. */
export interface StartingEvent {
  detailType?: string;
  /** The domain event's id (`detail.eventId`): the same in the ledger, the archive and the vendor's retries. */
  eventId?: string;
  /** What started it when no event did: the playbook that handed its account over (a check, a reminder). */
  handedOverAs?: 'check' | 'reminder';
}

/** One execution on an account's timeline. */
export interface TimelineExecution {
  accountId: string;
  playbook: string;
  executionArn: string;
  startedBy: StartingEvent;
  startedAt: string;
  stoppedAt?: string;
  status: ExecutionStatus;
  redriveCount: number;
  /** The error name a failed execution ended with (its cause stays in Step Functions' history). */
  error?: string;
  /** Orders the status changes of one execution (statusOrder): an older one never overwrites a newer one. */
  order: number;
}

/**
 * The account an execution is about: its event's, or, for an execution a playbook handed over to,
 * its check's (no-contact) or its reminder's (alert-reminder). None for the stage's scheduled runs.
 */
export function accountOfInput(input: unknown): string | undefined {
  const { detail, check, reminder } = (input ?? {}) as { detail?: { accountId?: unknown }; check?: { accountId?: unknown }; reminder?: { accountId?: unknown } };
  const accountId = detail?.accountId ?? check?.accountId ?? reminder?.accountId;
  return typeof accountId === 'string' && accountId.length > 0 ? accountId : undefined;
}

/** The event (or hand-over) an execution's input says started it: ids only, never the detail's other fields. */
export function startingEventOf(input: unknown): StartingEvent {
  const { detail, check, reminder, 'detail-type': detailType } = (input ?? {}) as { detail?: { eventId?: unknown }; check?: unknown; reminder?: unknown; 'detail-type'?: unknown };
  if (typeof detailType === 'string') return { detailType, ...(typeof detail?.eventId === 'string' ? { eventId: detail.eventId } : {}) };
  if (check !== undefined) return { handedOverAs: 'check' };
  if (reminder !== undefined) return { handedOverAs: 'reminder' };
  return {};
}

/**
 * The order of an execution's status changes. EventBridge does not keep order: a run's end can arrive
 * before its start. Each redrive starts a new run (RUNNING again, one more redriveCount), and within a
 * run its end comes after its start.
 */
export function statusOrder({ status, redriveCount }: Pick<ExecutionStatusChange, 'status' | 'redriveCount'>): number {
  return redriveCount * 2 + (status === 'RUNNING' ? 0 : 1);
}

/** The timeline entry a status change writes, or undefined when the execution is about no account. */
export function timelineExecution(change: ExecutionStatusChange, playbook: string): TimelineExecution | undefined {
  const input = parseExecutionInput(change.input);
  const accountId = accountOfInput(input);
  if (accountId === undefined) return undefined;
  return {
    accountId,
    playbook,
    executionArn: change.executionArn,
    startedBy: startingEventOf(input),
    startedAt: new Date(change.startDate).toISOString(),
    ...(change.status !== 'RUNNING' && change.stopDate ? { stoppedAt: new Date(change.stopDate).toISOString() } : {}),
    status: change.status,
    redriveCount: change.redriveCount,
    ...(change.status !== 'RUNNING' && change.error ? { error: change.error } : {}),
    order: statusOrder(change),
  };
}

/** The name of an execution's state machine, from either ARN (`…:stateMachine:<name>`, `…:execution:<name>:<run>`). */
export function stateMachineNameOf(arn: string): string {
  const match = /:(?:stateMachine|execution):([^:]+)/.exec(arn);
  if (!match) throw new Error(`Not a state machine or execution ARN: ${arn}`);
  return match[1]!;
}

/** An execution's input (or a state's), JSON text as Step Functions gives it; undefined when absent or cut short (over 248 KiB). */
export function parseExecutionInput(input: string | null | undefined): unknown {
  if (!input) return undefined;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return undefined;
  }
}
