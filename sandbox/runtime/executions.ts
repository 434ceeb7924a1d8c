import type { StateMachine } from 'aws-local-stepfunctions';

/** The interpreter's event-log entry (not exported by name). */
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  name: string;
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
  error?: string;
  cause?: string;
  /** A SUCCEEDED execution's output (not in the report: tests read what a playbook ended with). */
  output?: unknown;
}

/** Follows an execution's event log the way the Step Functions console shows it; `observe` sees every event first. */
export async function followExecution(record: ExecutionRecord, events: AsyncGenerator<EventLog>, observe?: (event: EventLog) => void): Promise<void> {
  for await (const event of events) {
    observe?.(event);
    switch (event.type) {
      case 'StateEntered':
        record.transitions += 1;
        record.currentState = event.state.name;
        break;
      case 'ExecutionSucceeded':
        stop(record, 'SUCCEEDED', event.timestamp);
        record.output = event.output;
        break;
      case 'ExecutionFailed':
        stop(record, 'FAILED', event.timestamp);
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

function stop(record: ExecutionRecord, status: ExecutionStatus, at: number): void {
  record.status = status;
  record.stoppedAt = at;
  delete record.currentState;
}
