import type { StateMachine } from 'aws-local-stepfunctions';

/** The interpreter's event-log entry (not exported by name). */
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/**
 * What a running execution is parked on, as its event log tells it: a Wait state (`wait`), the back-off
 * of a state that failed and will be retried (`retry`: the interpreter logs StateFailed, sleeps, then
 * logs StateRetried), or a `.waitForTaskToken` Task waiting to be called back until its timeout (`callback`).
 */
export interface Waiting {
  state: string;
  kind: 'wait' | 'retry' | 'callback';
  since: number;
  /** `retry`: the error the last attempt failed with, and which retry of the state comes next (1, 2…). */
  error?: string;
  retry?: number;
}

export interface ExecutionRecord {
  name: string;
  /** `arn:aws:states:local:000000000000:execution:<playbook>:<name>`: what the ops CLI and the console name it by. */
  executionArn: string;
  playbook: string;
  accountId: string;
  status: ExecutionStatus;
  startedAt: number;
  stoppedAt?: number;
  /** The revision of the definition it runs (the sandbox's digest of it): a redeploy does not change a running execution's. */
  revision: string;
  /** States entered, as the Step Functions console counts state transitions. */
  transitions: number;
  /** The state it is in now (what the console shows for a running execution). */
  currentState?: string;
  /** What it waits for while parked; absent while a step runs, and once it stopped. */
  waiting?: Waiting;
  /** When it next wakes up: its earliest pending timer (the Wait's end, the back-off's, the callback's timeout). */
  nextWakeUp?: () => number | undefined;
  error?: string;
  cause?: string;
  /** A SUCCEEDED execution's output (not in the report: tests read what a playbook ended with). */
  output?: unknown;
  /** How many times it was redriven (run again from the state it failed in), as DescribeExecution says. */
  redriveCount: number;
  /** The top-level state it failed in (a failed Map's, for a state inside it) and that state's input: where a redrive goes on from. */
  failedIn?: { state: string; input: unknown };
}

/**
 * Follows an execution's event log the way the Step Functions console shows it; `observe` sees every
 * event first. `callbackStates`: its `.waitForTaskToken` Task states (the log calls them plain Tasks).
 */
export async function followExecution(
  record: ExecutionRecord,
  events: AsyncGenerator<EventLog>,
  observe?: (event: EventLog) => void,
  callbackStates: ReadonlySet<string> = new Set(),
): Promise<void> {
  // Retries of the state entered last: a retried state is not entered again.
  let retries = 0;
  // The top-level state entered last (a state inside a Map iteration has an index): where a failure stops it.
  let topLevel: { state: string; input: unknown } | undefined;
  const parkedIn = (state: string, type: string, since: number): Waiting | undefined =>
    type === 'Wait' ? { state, kind: 'wait', since } : callbackStates.has(state) ? { state, kind: 'callback', since } : undefined;
  for await (const event of events) {
    observe?.(event);
    switch (event.type) {
      case 'StateEntered':
        if (event.index === undefined) topLevel = { state: event.state.name, input: event.state.input };
        record.transitions += 1;
        record.currentState = event.state.name;
        retries = 0;
        setWaiting(record, parkedIn(event.state.name, event.state.type, event.timestamp));
        break;
      case 'StateFailed':
        // Caught (StateCaught follows), fatal (ExecutionFailed follows) or retried after a back-off.
        setWaiting(record, { state: event.state.name, kind: 'retry', since: event.timestamp, error: event.Error, retry: retries + 1 });
        break;
      case 'StateRetried':
        retries += 1;
        setWaiting(record, parkedIn(event.state.name, event.state.type, event.timestamp));
        break;
      case 'StateExited':
      case 'StateCaught':
        setWaiting(record, undefined);
        break;
      case 'ExecutionSucceeded':
        stop(record, 'SUCCEEDED', event.timestamp);
        record.output = event.output;
        break;
      case 'ExecutionFailed':
        stop(record, 'FAILED', event.timestamp);
        if (topLevel) record.failedIn = topLevel;
        record.error = event.Error;
        record.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
        break;
      case 'ExecutionTimeout':
        stop(record, 'TIMED_OUT', event.timestamp);
        break;
      case 'ExecutionAborted':
        stop(record, 'ABORTED', event.timestamp);
        break;
      default:
        break;
    }
  }
}

function setWaiting(record: ExecutionRecord, waiting: Waiting | undefined): void {
  if (waiting) record.waiting = waiting;
  else delete record.waiting;
}

function stop(record: ExecutionRecord, status: ExecutionStatus, at: number): void {
  record.status = status;
  record.stoppedAt = at;
  delete record.currentState;
  delete record.waiting;
}
