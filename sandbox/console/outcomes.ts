import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { StateOutcome } from './graph.ts';

/**
 * How each state an execution entered came out, from its history, for its graph: left (`succeeded`),
 * failed and then handled by the flow's Catch (`caught`: the execution went on elsewhere), the state it
 * failed in (`failed`), the one it is in now (`waiting` on a Wait or a callback, `running` otherwise).
 * A state entered several times (a loop, a redrive, a Map's iterations) takes its latest outcome.
 */
export function stateOutcomes(events: readonly HistoryEvent[], executionStatus: string, parkedTypes: ReadonlySet<string> = new Set(['Wait'])): Map<string, StateOutcome> {
  const outcomes = new Map<string, StateOutcome>();
  let current: { name: string; type: string; failed: boolean } | undefined;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails;
    if (entered?.name) {
      if (current?.failed) outcomes.set(current.name, 'caught');
      current = { name: entered.name, type: (event.type ?? '').replace(/StateEntered$/, ''), failed: false };
      outcomes.set(entered.name, 'running');
      continue;
    }
    const exited = event.stateExitedEventDetails;
    if (exited?.name) {
      // Failed, not retried, and left all the same: a Catch took it elsewhere.
      outcomes.set(exited.name, current?.name === exited.name && current.failed ? 'caught' : 'succeeded');
      if (current?.name === exited.name) current = undefined;
      continue;
    }
    if (event.type === 'TaskFailed' || event.type === 'MapStateFailed') {
      if (current) current.failed = true;
      continue;
    }
    if (event.type === 'TaskScheduled' && current) {
      // A retry: the failure before it is behind.
      current.failed = false;
      continue;
    }
    if (event.type === 'ExecutionRedriven' && current) current = { ...current, failed: false };
  }
  if (current) {
    if (executionStatus === 'RUNNING') outcomes.set(current.name, current.failed ? 'running' : parkedTypes.has(current.type) ? 'waiting' : 'running');
    else if (executionStatus !== 'SUCCEEDED') outcomes.set(current.name, 'failed');
  }
  return outcomes;
}
