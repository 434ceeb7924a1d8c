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

/**
 * `step`, when the playbook names it, is what the CSM now does by hand ("Suppress the account's NPS
 * surveys"): a playbook that goes on after a side step failed says which one.
 */
export function describeFailure(failure: StepFailure, eventId?: string, step?: string): string {
  const message = causeMessage(failure.Cause);
  const what = message ? `${failure.Error}: ${message}` : failure.Error;
  const failed = `${step ? `${step}: step failed` : 'Step failed'} (${what})`;
  return eventId ? `${failed} for event ${eventId}.` : `${failed}.`;
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
