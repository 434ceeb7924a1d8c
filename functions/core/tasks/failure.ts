/**
 * What a `manual-follow-up` task says about the step that failed. Step Functions hands a Catch the
 * error name and a Cause that, for a Lambda, is its JSON error object — stack trace included. The
 * CSM reads the error and its message; the trace stays in the execution history for ops.
 */
export interface StepFailure {
  Error: string;
  /** Lambda errors: `{"errorType","errorMessage","trace"}`; States.Timeout and others: text or nothing. */
  Cause?: string | undefined;
}

export function describeFailure(failure: StepFailure, eventId?: string): string {
  const message = causeMessage(failure.Cause);
  const what = message ? `${failure.Error}: ${message}` : failure.Error;
  return eventId ? `Step failed (${what}) for event ${eventId}.` : `Step failed (${what}).`;
}

function causeMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed && typeof parsed.errorMessage === 'string') {
      return parsed.errorMessage;
    }
  } catch {
    // Not a Lambda error object: the cause is plain text.
  }
  return cause;
}
