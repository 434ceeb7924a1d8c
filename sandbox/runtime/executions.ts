import type { StateMachine } from 'aws-local-stepfunctions';

/** The interpreter's event-log entry (not exported by name). */
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

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
}

/** Follows an execution's event log the way the Step Functions console shows it. */
export async function followExecution(record: ExecutionRecord, events: AsyncGenerator<EventLog>): Promise<void> {
  for await (const event of events) {
    switch (event.type) {
      case 'StateEntered':
        record.transitions += 1;
        record.currentState = event.state.name;
        break;
      case 'ExecutionSucceeded':
        stop(record, 'SUCCEEDED', event.timestamp);
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
