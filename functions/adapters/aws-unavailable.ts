/**
 * An AWS service that did not answer as it should: throttled, a 5xx, a timeout or a network failure.
 * Nothing is known to have happened: the step is tried again later by its Task's Retry, which waits out
 * an outage of many minutes (lib/failure-policies.ts), where an unnamed error would get a few seconds.
 */
export class AwsServiceUnavailable extends Error {
  override readonly name = 'AwsServiceUnavailable';
  constructor(
    operation: string,
    readonly detail: string,
  ) {
    super(`${operation} unavailable: ${detail}`);
  }
}

/** The error codes AWS services answer when they are throttled or failing, whatever the service. */
export const AWS_THROTTLING_OR_FAULT = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
]);

/** Node's errors for a connection that failed or was cut: the request may not have reached the service. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * `error` as `AwsServiceUnavailable` when an AWS SDK client threw it for a transient reason (its own
 * retries spent): the SDK marks those `$retryable` or `$fault: "server"`, or it is a timeout or a network
 * failure. Anything else (a refusal, a conditional check, a bug) is returned as it is.
 */
export function asAwsUnavailable(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof AwsServiceUnavailable) return error;
  const sdk = error as Error & { $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: string };
  const fromService = sdk.$metadata !== undefined;
  const transient =
    (fromService && (sdk.$retryable !== undefined || sdk.$fault === 'server' || AWS_THROTTLING_OR_FAULT.has(sdk.name))) ||
    sdk.name === 'TimeoutError' ||
    (sdk.code !== undefined && NETWORK_CODES.has(sdk.code));
  if (!transient) return error;
  const unavailable = new AwsServiceUnavailable(fromService ? 'an AWS call' : 'a connection to AWS', sdk.name);
  unavailable.cause = error;
  return unavailable;
}
