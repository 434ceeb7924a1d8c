/**
 * Which failed executions are run again automatically (Step Functions redrive: the execution goes on
 * from the state that failed, with the same input, that state's retries counted afresh).
 *
 * Only an execution that failed because AWS itself was failing: its step's retries, about 38 minutes of
 * them, did not outlast the outage, and running it again later will. Anything else failed the same way
 * every time (a bug, a refusal, a missing permission): it stays failed, and ops are paged.
 */

/** The errors an AWS outage ends a step with once its retries are spent, as the playbooks' Retry names them. */
export const AWS_OUTAGE_ERRORS = {
  /** Ours: any AWS SDK client's transient error (throttled, 5xx, timed out), as functions/adapters/aws-unavailable.ts names it. */
  functions: ['AwsServiceUnavailable'],
  /** Lambda itself failing or throttled, as Step Functions' Lambda integration names it. */
  lambda: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
  /**
   * Step Functions throttled or failing, as the `states:startExecution` integration names its errors
   * (`StepFunctions.<exception>`, as Lambda's are `Lambda.<exception>`; the generic service and client
   * ones by analogy with Lambda's, unverified against a live history).
   */
  stepFunctions: [
    'StepFunctions.ThrottlingException',
    'StepFunctions.ExecutionLimitExceededException',
    'StepFunctions.AWSStepFunctionsException',
    'StepFunctions.SdkClientException',
  ],
} as const;

const TRANSIENT = new Set<string>(Object.values(AWS_OUTAGE_ERRORS).flat());

/**
 * Redrives per execution: each runs the failed step again with its retries (about 38 minutes), so five
 * wait out an outage of about four hours after the first failure. One that lasts longer is an incident
 * ops handle anyway, and the execution is still there to redrive by hand.
 */
export const MAX_AUTOMATIC_REDRIVES = 5;

/** How long Step Functions lets an execution be redriven after it ended (RedriveExecution). */
export const STEP_FUNCTIONS_REDRIVABLE_MS = 14 * 24 * 60 * 60 * 1000;

/** Redriven automatically within 13 of Step Functions' 14 days: a day is left for ops. */
export const REDRIVABLE_FOR_MS = STEP_FUNCTIONS_REDRIVABLE_MS - 24 * 60 * 60 * 1000;

export interface FailedExecution {
  /** The error the execution failed with (its failed state's, when nothing caught it). */
  readonly error?: string | undefined;
  /** How many times it was redriven already. */
  readonly redriveCount: number;
  /** When it failed (epoch ms). */
  readonly stoppedAt: number;
}

export type RedriveDecision =
  | { readonly redrive: true }
  | { readonly redrive: false; readonly why: 'not-transient' | 'redrives-spent' | 'too-old' };

/** Whether `execution`, which just failed, is redriven now. */
export function redriveDecision(execution: FailedExecution, now: number): RedriveDecision {
  if (execution.error === undefined || !TRANSIENT.has(execution.error)) return { redrive: false, why: 'not-transient' };
  if (execution.redriveCount >= MAX_AUTOMATIC_REDRIVES) return { redrive: false, why: 'redrives-spent' };
  if (now - execution.stoppedAt > REDRIVABLE_FOR_MS) return { redrive: false, why: 'too-old' };
  return { redrive: true };
}
