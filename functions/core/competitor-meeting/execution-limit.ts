/**
 * A follow-up waits inside one Standard execution, which lives a year at most: the playbook's
 * TimeoutSeconds (statemachines/competitor-meeting.asl.json) is that year, and a test holds the two
 * together. A call day beyond it (a competitor meeting booked more than a year ahead, or moved there)
 * cannot be waited for: the step fails, and its Catch gives the CSM a manual-follow-up task that says
 * why, rather than an execution that times out in silence.
 */
export const FOLLOW_UP_EXECUTION_SECONDS = 365 * 86_400;

/** Room left after the last wake-up for the re-check, its retries and the task. */
const MARGIN_MS = 86_400_000;

export class CallBeyondExecutionLimit extends Error {
  override readonly name = 'CallBeyondExecutionLimit';
  constructor(callAt: string, startedAt: Date) {
    super(`The red-alert call on ${callAt} is beyond what one execution started at ${startedAt.toISOString()} can wait for (${FOLLOW_UP_EXECUTION_SECONDS / 86_400} days): set it by hand`);
  }
}

export function assertWithinExecution(callAt: Date, startedAt: Date, formatted: string): void {
  if (callAt.getTime() > startedAt.getTime() + FOLLOW_UP_EXECUTION_SECONDS * 1000 - MARGIN_MS) {
    throw new CallBeyondExecutionLimit(formatted, startedAt);
  }
}
