import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parseExecutionInput } from '../../functions/core/executions/timeline.ts';

/** What a running execution waits for, read from its latest history events and its definition. */
export interface ExecutionWaiting {
  state: string;
  /** A Wait state; a Task waiting for a callback (a CSM's decision, a reply); a retry after a failure; a step running now. */
  kind: 'wait' | 'callback' | 'retry' | 'step';
  /** When it goes on by itself: the Wait's end, the callback's timeout. */
  until?: string;
  /** A retry's: the error the last attempt failed with. */
  error?: string;
}

interface StateDefinition {
  Type?: string;
  Resource?: unknown;
  Timestamp?: string;
  TimestampPath?: string;
  Seconds?: number;
  SecondsPath?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  States?: Record<string, StateDefinition>;
  ItemProcessor?: { States?: Record<string, StateDefinition> };
  Iterator?: { States?: Record<string, StateDefinition> };
  Branches?: { States?: Record<string, StateDefinition> }[];
}

export interface Definition {
  States: Record<string, StateDefinition>;
}

/**
 * What a running execution waits for, from its history newest first (GetExecutionHistory with
 * `reverseOrder`, a few events are enough) and its state machine's definition: the state it entered
 * last and, for a Wait or a callback Task, until when, computed from that state's input as Step
 * Functions does (`TimestampPath`, `SecondsPath`, `TimeoutSecondsPath`). Undefined when the history
 * shows no state entered yet.
 */
export function waitingOf(newestFirst: readonly HistoryEvent[], definition: Definition): ExecutionWaiting | undefined {
  const failed = newestFirst[0]?.type === 'TaskFailed' ? newestFirst[0] : undefined;
  const entered = newestFirst.find((event) => event.stateEnteredEventDetails !== undefined);
  if (!entered) return undefined;
  const { name = '', input } = entered.stateEnteredEventDetails!;
  if (failed) return { state: name, kind: 'retry', ...(failed.taskFailedEventDetails?.error ? { error: failed.taskFailedEventDetails.error } : {}) };
  const state = stateNamed(definition.States, name);
  const enteredAt = entered.timestamp ? new Date(entered.timestamp).getTime() : undefined;
  const parsed = parseExecutionInput(input);
  if (state?.Type === 'Wait') return { state: name, kind: 'wait', ...untilOf(waitEnd(state, parsed, enteredAt)) };
  if (state?.Type === 'Task' && typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken')) {
    const timeout = state.TimeoutSeconds ?? numberAt(parsed, state.TimeoutSecondsPath);
    return { state: name, kind: 'callback', ...untilOf(enteredAt !== undefined && timeout !== undefined ? enteredAt + timeout * 1000 : undefined) };
  }
  return { state: name, kind: 'step' };
}

/** When a Wait state ends: its fixed or input timestamp, or its seconds after it was entered. */
function waitEnd(state: StateDefinition, input: unknown, enteredAt: number | undefined): number | undefined {
  const timestamp = state.Timestamp ?? stringAt(input, state.TimestampPath);
  if (timestamp !== undefined) return Date.parse(timestamp);
  const seconds = state.Seconds ?? numberAt(input, state.SecondsPath);
  return seconds !== undefined && enteredAt !== undefined ? enteredAt + seconds * 1000 : undefined;
}

const untilOf = (at: number | undefined) => (at !== undefined && Number.isFinite(at) ? { until: new Date(at).toISOString() } : {});

/** A state by name, at the top level or inside a Map or Parallel (an iteration's state is logged by its own name). */
function stateNamed(states: Record<string, StateDefinition> | undefined, name: string): StateDefinition | undefined {
  if (!states) return undefined;
  if (Object.hasOwn(states, name)) return states[name];
  for (const state of Object.values(states)) {
    const inner = [state.ItemProcessor?.States, state.Iterator?.States, ...(state.Branches ?? []).map((branch) => branch.States)];
    for (const nested of inner) {
      const found = stateNamed(nested, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** A reference path's value (`$.a.b`, `$.list[0].c`): the subset ASL's `…Path` fields use here. */
export function valueAt(input: unknown, path: string | undefined): unknown {
  if (path === undefined || !path.startsWith('$')) return undefined;
  const steps = path.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
  let value: unknown = input;
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    value = step.startsWith('[') ? (value as unknown[])[Number(step.slice(1, -1))] : (value as Record<string, unknown>)[step.slice(1)];
  }
  return value;
}

const stringAt = (input: unknown, path: string | undefined) => {
  const value = valueAt(input, path);
  return typeof value === 'string' ? value : undefined;
};
const numberAt = (input: unknown, path: string | undefined) => {
  const value = valueAt(input, path);
  return typeof value === 'number' ? value : undefined;
};
