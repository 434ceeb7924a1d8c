import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** How much of a state's input or output a line shows: ids and flags fit, a long list is cut. */
const SHOWN_CHARACTERS = 200;

/**
 * An execution's history as `playbooks history` prints it: one line per event, its time, its type, the
 * state it is about, then what matters of it: a state's input as it entered and output as it left (ids
 * only: execution state carries no personal data), a failure's error and cause.
 */
export function historyLines(events: readonly HistoryEvent[]): string[] {
  return events.map((event) => {
    const at = event.timestamp ? new Date(event.timestamp).toISOString() : '';
    return [at, String(event.id).padStart(4), (event.type ?? '').padEnd(26), eventDetail(event)].join('  ').trimEnd();
  });
}

/** What matters of one event: its state and input or output, its error and cause, its redrive or iteration. */
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
