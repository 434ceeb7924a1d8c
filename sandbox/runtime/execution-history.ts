import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { EventLog } from './executions.ts';

/**
 * Step Functions' history cap: an execution that reaches it fails on AWS. The sandbox keeps at most
 * this many entries per execution, so a runaway loop cannot fill its memory.
 */
export const HISTORY_EVENTS_LIMIT = 25_000;

/**
 * An execution's history as GetExecutionHistory returns it (`@aws-sdk/client-sfn`'s HistoryEvent), from
 * the interpreter's event log: what the ops CLI and the console read, the same on AWS and in the
 * sandbox. The interpreter logs no Lambda events, so a Task shows as its state entered, then exited or
 * failed (`TaskFailed`, with the error and its cause); a retry, as Step Functions shows it, as the Task
 * scheduled again (`TaskScheduled`); a failure a Catch handles, as the failure then the state exited.
 */
export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  /** Entries dropped past HISTORY_EVENTS_LIMIT. */
  dropped = 0;

  /** Whether it was redriven: the interpreter starts each redriven run anew, with an ExecutionStarted Step Functions does not write again. */
  private restarted = false;

  /** Appends the history events `entry` of the interpreter's log stands for (none for some). */
  add(entry: EventLog): void {
    if (entry.type === 'ExecutionStarted' && this.restarted) return;
    for (const event of historyEventsOf(entry)) this.push(event);
  }

  /** RedriveExecution: the history goes on with `ExecutionRedriven`, the run's events after it. */
  redriven(at: number, redriveCount: number): void {
    this.restarted = true;
    this.push({ timestamp: new Date(at), type: 'ExecutionRedriven', executionRedrivenEventDetails: { redriveCount } });
  }

  private push(event: Omit<HistoryEvent, 'id' | 'previousEventId'>): void {
    if (this.events.length >= HISTORY_EVENTS_LIMIT) {
      this.dropped += 1;
      return;
    }
    const id = this.events.length + 1;
    this.events.push({ ...event, id, previousEventId: id - 1 } as HistoryEvent);
  }
}

type Entry = Omit<HistoryEvent, 'id' | 'previousEventId'>;

const json = (value: unknown) => JSON.stringify(value ?? null);
const cause = (value: unknown) => (typeof value === 'string' ? value : json(value));

function historyEventsOf(entry: EventLog): Entry[] {
  const timestamp = new Date(entry.timestamp);
  switch (entry.type) {
    case 'ExecutionStarted':
      return [{ timestamp, type: 'ExecutionStarted', executionStartedEventDetails: { input: json(entry.input) } }];
    case 'ExecutionSucceeded':
      return [{ timestamp, type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(entry.output) } }];
    case 'ExecutionFailed':
      return [{ timestamp, type: 'ExecutionFailed', executionFailedEventDetails: { error: entry.Error, cause: cause(entry.Cause) } }];
    case 'ExecutionAborted':
      return [{ timestamp, type: 'ExecutionAborted', executionAbortedEventDetails: {} }];
    case 'ExecutionTimeout':
      return [{ timestamp, type: 'ExecutionTimedOut', executionTimedOutEventDetails: {} }];
    case 'StateEntered':
      return [{ timestamp, type: `${entry.state.type}StateEntered` as HistoryEventType, stateEnteredEventDetails: { name: entry.state.name, input: json(entry.state.input) } }];
    case 'StateExited':
      return [{ timestamp, type: `${entry.state.type}StateExited` as HistoryEventType, stateExitedEventDetails: { name: entry.state.name, output: json(entry.state.output) } }];
    case 'StateFailed':
      return failureOf(entry.state.type, timestamp, entry.Error, cause(entry.Cause));
    case 'StateRetried':
      // Step Functions schedules the Task again; its history has no event of the retry itself.
      return [{ timestamp, type: 'TaskScheduled', taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'local', parameters: json(entry.state.input) } }];
    case 'MapIterationStarted':
      return [{ timestamp, type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: entry.parentState.name, index: entry.index } }];
    case 'MapIterationSucceeded':
      return [{ timestamp, type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: entry.parentState.name, index: entry.index } }];
    case 'MapIterationFailed':
      return [{ timestamp, type: 'MapIterationFailed', mapIterationFailedEventDetails: { name: entry.parentState.name, index: entry.index } }];
    default:
      // Caught (the state then exits with the error as its output), Parallel branches: no event of their own.
      return [];
  }
}

/**
 * A state's failure as Step Functions records it: a Task's as TaskFailed, a Map's as MapStateFailed;
 * another state's (a Choice with no match) only as the ExecutionFailed that follows.
 */
function failureOf(stateType: string, timestamp: Date, error: string, cause: string): Entry[] {
  if (stateType === 'Task') return [{ timestamp, type: 'TaskFailed', taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error, cause } }];
  if (stateType === 'Map') return [{ timestamp, type: 'MapStateFailed' }];
  return [];
}
