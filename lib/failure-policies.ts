/**
 * The failure policies: how a playbook's Task state retries and where it goes once it gives up, declared
 * once. A flow file names one per Task (`"Policy": "step"`); `buildDefinition` (./flow.ts) writes the
 * Retry and the catch-all from it, for CDK and the sandbox alike. Step Functions applies the first
 * retrier whose ErrorEquals matches, so the order below is the order of the rules.
 */
import { AWS_OUTAGE_ERRORS } from '../functions/core/redrive/redrive-rule.ts';

/** A retrier as ASL writes it. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxAttempts?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface FailurePolicy {
  /** Errors that fail the same way every time: no retry, straight to the catch. */
  readonly notRetried: readonly string[];
  /** The retriers for errors that mend with time, before the catch-all. */
  readonly retriers: readonly Retrier[];
  /**
   * The error the last retrier (the brief one) matches. A Task that waits for a callback retries
   * `States.TaskFailed` instead of `States.ALL`, so that its `States.Timeout` is not retried; its Catch
   * still ends in `States.ALL`, after the flow's own `States.Timeout` catcher.
   */
  readonly catchAll: 'States.ALL' | 'States.TaskFailed';
  /**
   * Where the Task goes once its retries are spent, unless it names a side step (`OnFailure`). None: the
   * execution fails at the Task itself, with the Task's own error, so that a redrive runs that Task again
   * (automatically when the error is transient: functions/core/redrive/redrive-rule.ts).
   */
  readonly onFailure?: typeof CREATE_MANUAL_FOLLOW_UP;
}

/** The terminal state a failed step leads to: a manual-follow-up task, then the execution fails. */
export const CREATE_MANUAL_FOLLOW_UP = 'CreateManualFollowUp';
/** The execution's end once the manual follow-up is created: red in the console, counted by the alarm. */
export const AUTOMATION_FAILED = 'AutomationFailed';

/**
 * A bad request, a broken template, a refusal, a revoked token, or an alert that is not in the ledger
 * (it is written before it is posted, so it will not appear later): retrying only delays the follow-up.
 */
const NEVER_MENDS = ['ContractError', 'CallBeyondExecutionLimit', 'EmailTemplateError', 'RangeError', 'VendorRejected', 'VendorMisconfigured', 'AlertNotFound'];

/** An event about an account the CRM sync has not delivered yet: it usually arrives within the hour. */
const ACCOUNT_NOT_YET_SYNCED: Retrier = { ErrorEquals: ['AccountNotFound'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 6 };

/** The CRM, Slack or the mail service down: outages last minutes, so 10 s doubling to 15 min, jittered. */
const VENDOR_OUTAGE: Retrier = { ErrorEquals: ['VendorUnavailable'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 8, MaxDelaySeconds: 900, JitterStrategy: 'FULL' };

/**
 * An AWS service throttled or failing (DynamoDB, Step Functions, Secrets Manager: every SDK client's
 * transient error, named `AwsServiceUnavailable` by functions/adapters/aws-unavailable.ts), or Lambda
 * itself: 5 s doubling to 5 min, jittered, 20 times. FULL jitter has
 * no floor, but the 20 draws add up to about 38 minutes on average and almost never to less than 15
 * (four standard deviations below the mean): a regional incident of ten minutes is waited out, and a
 * burst of executions does not come back all at once.
 */
const AWS_OUTAGE: Retrier = {
  ErrorEquals: [...AWS_OUTAGE_ERRORS.functions, ...AWS_OUTAGE_ERRORS.lambda],
  IntervalSeconds: 5,
  BackoffRate: 2,
  MaxAttempts: 20,
  MaxDelaySeconds: 300,
  JitterStrategy: 'FULL',
};

/** Anything else (an error no adapter named): retried briefly, jittered. */
const transient = (catchAll: FailurePolicy['catchAll']): Retrier => ({
  ErrorEquals: [catchAll],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 4,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
});

export const FAILURE_POLICIES = {
  /** A playbook's step: retried, then the CSM gets a manual follow-up and the execution fails. */
  step: {
    notRetried: NEVER_MENDS,
    retriers: [AWS_OUTAGE, ACCOUNT_NOT_YET_SYNCED, VENDOR_OUTAGE],
    catchAll: 'States.ALL',
    onFailure: CREATE_MANUAL_FOLLOW_UP,
  },
  /**
   * The manual follow-up itself: it waits out an AWS outage as long as the step it reports (the follow-up
   * needs the same table), and an unknown account is not waited for (the step before already waited).
   * Nothing catches it: a follow-up that cannot be written fails the execution right there, with its own
   * error, so that a redrive writes it. An AWS outage that outlasts the retries is redriven
   * automatically (functions/core/redrive/redrive-rule.ts); anything else stays failed and pages ops.
   */
  'follow-up': {
    notRetried: [...NEVER_MENDS, 'AccountNotFound'],
    retriers: [AWS_OUTAGE, VENDOR_OUTAGE],
    catchAll: 'States.ALL',
  },
  /** A step that waits for a callback (a reply, an approval, a save's outcome): its timeout is an answer, never retried. */
  callback: {
    notRetried: ['States.Timeout', ...NEVER_MENDS],
    retriers: [AWS_OUTAGE, ACCOUNT_NOT_YET_SYNCED, VENDOR_OUTAGE],
    catchAll: 'States.TaskFailed',
    onFailure: CREATE_MANUAL_FOLLOW_UP,
  },
  /**
   * The hand-over to a fresh execution (`states:startExecution`): one that already exists is the
   * hand-over done, not an error to retry; Step Functions throttled or failing is an AWS outage.
   */
  'hand-over': {
    notRetried: [...NEVER_MENDS, 'StepFunctions.ExecutionAlreadyExistsException'],
    retriers: [{ ...AWS_OUTAGE, ErrorEquals: [...AWS_OUTAGE.ErrorEquals, ...AWS_OUTAGE_ERRORS.stepFunctions] }, ACCOUNT_NOT_YET_SYNCED, VENDOR_OUTAGE],
    catchAll: 'States.ALL',
    onFailure: CREATE_MANUAL_FOLLOW_UP,
  },
  /**
   * A step of a stage-wide job (the nightly health rescore): about no account, so no CSM to hand a
   * follow-up to. Retried as a step, then the execution fails at the step itself, with its error: ops
   * hear of it (the stayed-failed alarm), and an AWS outage is redriven automatically.
   */
  'stage-job': {
    notRetried: NEVER_MENDS,
    retriers: [AWS_OUTAGE, VENDOR_OUTAGE],
    catchAll: 'States.ALL',
  },
  /** The refund request: finance's channel busy with this case's request is waited for, a little. */
  'refund-request': {
    notRetried: NEVER_MENDS,
    retriers: [AWS_OUTAGE, ACCOUNT_NOT_YET_SYNCED, VENDOR_OUTAGE, { ErrorEquals: ['RefundInProgress'], IntervalSeconds: 15, BackoffRate: 2, MaxAttempts: 4 }],
    catchAll: 'States.ALL',
    onFailure: CREATE_MANUAL_FOLLOW_UP,
  },
} as const satisfies Record<string, FailurePolicy>;

export type PolicyName = keyof typeof FAILURE_POLICIES;

/** The Retry a Task following `policy` gets; `notRetried` adds the errors its own function raises that no retry mends. */
export function retryOf(policy: FailurePolicy, notRetried: readonly string[] = []): Retrier[] {
  return [{ ErrorEquals: [...policy.notRetried, ...notRetried], MaxAttempts: 0 }, ...policy.retriers, transient(policy.catchAll)];
}
