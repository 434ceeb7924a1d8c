import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** How much of a state's input or output a line shows: ids and flags fit, a long list is cut. */
const SHOWN_CHARACTERS = 200;

/**
 * An execution's history as `playbooks history` prints it: one line per event, its time, its type, the
 * state it is about, then what matters of it (historyDetails).
 */
export function historyLines(events: readonly HistoryEvent[]): string[] {
  const details = historyDetails(events);
  return events.map((event, index) => {
    const at = event.timestamp ? new Date(event.timestamp).toISOString() : '';
    return [at, String(event.id).padStart(4), (event.type ?? '').padEnd(26), details[index]].join('  ').trimEnd();
  });
}

/**
 * What matters of each event of a history, in order: the execution's input as it started; a state's name
 * as it entered, and as it left what it added or changed in the state's data (its result: the rest is the
 * input passed on, the same ids at every step); a failure's error and cause; a redrive; a Map's iteration.
 * Ids only: execution state carries no personal data. The whole data: `--json`.
 */
export function historyDetails(events: readonly HistoryEvent[]): string[] {
  const inputs = new Map<string, string | undefined>();
  return events.map((event) => {
    const entered = event.stateEnteredEventDetails;
    if (entered) {
      inputs.set(entered.name ?? '', entered.input);
      return entered.name ?? '';
    }
    const exited = event.stateExitedEventDetails;
    if (exited) {
      const changed = changedFields(inputs.get(exited.name ?? ''), exited.output);
      return `${exited.name ?? ''}${changed ? `  ${changed}` : ''}`;
    }
    return eventDetail(event);
  });
}

/** What `output` adds or changes of `input`, both JSON objects (`+key=value` each), shown up to SHOWN_CHARACTERS. */
function changedFields(input: string | undefined, output: string | undefined): string {
  const before = parseObject(input);
  const after = parseObject(output);
  if (!after) return shown(output);
  const changes = Object.entries(after)
    .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before?.[key]))
    .map(([key, value]) => `+${key}=${JSON.stringify(value)}`)
    .join(' ');
  return shown(changes);
}

function parseObject(json: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = json === undefined ? undefined : JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What matters of one event seen alone: its state and input or output, its error and cause, its redrive or iteration. */
export function eventDetail(event: HistoryEvent): string {
  const entered = event.stateEnteredEventDetails;
  if (entered) return `${entered.name}  in ${shown(entered.input)}`;
  const exited = event.stateExitedEventDetails;
  if (exited) return `${exited.name}  out ${shown(exited.output)}`;
  const failure = event.taskFailedEventDetails ?? event.executionFailedEventDetails ?? event.lambdaFunctionFailedEventDetails;
  if (failure) return `${failure.error ?? ''}: ${causeOf(failure.cause)}`;
  if (event.executionStartedEventDetails) return `in ${shown(event.executionStartedEventDetails.input)}`;
  if (event.executionSucceededEventDetails) return `out ${shown(event.executionSucceededEventDetails.output)}`;
  if (event.executionRedrivenEventDetails) return `redrive ${event.executionRedrivenEventDetails.redriveCount ?? ''}`;
  const iteration = event.mapIterationStartedEventDetails ?? event.mapIterationSucceededEventDetails ?? event.mapIterationFailedEventDetails;
  if (iteration) return `${iteration.name ?? ''}[${iteration.index ?? ''}]`;
  return '';
}

/** A Lambda's cause is its error as JSON (`errorType`, `errorMessage`): the message says it best. */
export function causeOf(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const { errorMessage } = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof errorMessage === 'string') return errorMessage;
  } catch {
    // A plain-text cause.
  }
  return cause;
}

function shown(json: string | undefined): string {
  if (json === undefined) return '';
  return json.length > SHOWN_CHARACTERS ? `${json.slice(0, SHOWN_CHARACTERS)}… (${json.length} characters)` : json;
}
