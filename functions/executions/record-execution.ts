import type { ExecutionTimeline } from '../adapters/execution-timeline.ts';
import { stateMachineNameOf, timelineExecution, type ExecutionStatusChange } from '../core/executions/timeline.ts';

export interface RecordPorts {
  timeline: Pick<ExecutionTimeline, 'record'>;
  /** The playbook a state machine runs, by its name (undefined for a state machine of no playbook). */
  playbookOf(stateMachineName: string): string | undefined;
}

/** What came of a status change: on the account's timeline, older than what it holds, or about no account (a scheduled run). */
export type RecordOutcome = 'recorded' | 'stale' | 'no-account';

/** A status change of a playbook's execution, on its account's timeline (../core/executions/timeline.ts). */
export async function recordExecution(change: ExecutionStatusChange, ports: RecordPorts): Promise<RecordOutcome> {
  const name = stateMachineNameOf(change.stateMachineArn);
  const execution = timelineExecution(change, ports.playbookOf(name) ?? name);
  if (!execution) return 'no-account';
  return ports.timeline.record(execution);
}
