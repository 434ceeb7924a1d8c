import type { ExecutionRecord } from './executions.ts';

/**
 * What a running sandbox tells whoever watches it (the `npm start` terminal). Ids, kinds and status
 * only: an event's detail and an execution's cause may carry a name, an address or a message text,
 * so they never get here.
 */
export type SandboxActivity = EventPublished | ExecutionStopped | TriggerDeadLetter;

/** An event went on the bus (a webhook accepted, a hand-over, a scenario's event) and started these playbooks. */
export interface EventPublished {
  type: 'event';
  at: number;
  detailType: string;
  eventId: string;
  accountId: string;
  /** The playbooks whose rule matched it; none is worth saying (an event nothing consumes). */
  playbooks: readonly string[];
}

/**
 * A rule could not start its playbook for an event (StartExecution refused it: an input over Step
 * Functions' 256 KiB): on AWS the event goes to the trigger's dead-letter queue, which pages
 * (`<Playbook>TriggerDeadLetterAlarm`). The refusal's code and sizes only.
 */
export interface TriggerDeadLetter {
  type: 'dead-letter';
  at: number;
  playbook: string;
  detailType: string;
  eventId: string;
  accountId: string;
  errorCode: string;
  errorMessage: string;
}

/** An execution ended, and the manual-follow-up tasks its Catch paths set on the way (a side step's too). */
export interface ExecutionStopped {
  type: 'execution';
  execution: ExecutionSummary;
  manualFollowUps: readonly ManualFollowUp[];
}

/** What a listener is told of an execution: a copy, never the sandbox's record (its cause, output, clock). */
export type ExecutionSummary = Readonly<Pick<ExecutionRecord, 'name' | 'playbook' | 'accountId' | 'status' | 'startedAt' | 'stoppedAt' | 'error'>>;

export function executionSummary({ name, playbook, accountId, status, startedAt, stoppedAt, error }: ExecutionRecord): ExecutionSummary {
  return { name, playbook, accountId, status, startedAt, stoppedAt, error };
}

export interface ManualFollowUp {
  taskId: string;
  /** The person (id) the task is for. */
  owner: string;
}

/**
 * The manual-follow-up task a function's result names, if any: `create-task` answers
 * `{ taskId, kind, owner, … }` (functions/create-task), which is how a Catch path's task is known.
 */
export function manualFollowUpIn(result: unknown): ManualFollowUp | undefined {
  const { taskId, kind, owner } = (result ?? {}) as { taskId?: unknown; kind?: unknown; owner?: unknown };
  return kind === 'manual-follow-up' && typeof taskId === 'string' && typeof owner === 'string' ? { taskId, owner } : undefined;
}
