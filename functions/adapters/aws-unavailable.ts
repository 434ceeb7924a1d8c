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

/** The error codes AWS services answer when they are throttled, failing or slow, whatever the service. */
export const AWS_THROTTLING_OR_FAULT = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'TransactionInProgressException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalServerError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node's errors for a connection that failed or was cut: the request may not have reached the service. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * `error` as `AwsServiceUnavailable` when an AWS SDK client threw it for a transient reason, its own
 * retries spent: the SDK sets `$metadata` on every error it throws (a service's answer, and a timeout
 * or a network failure its retry middleware gave up on), and marks the transient ones `$retryable` or
 * `$fault: "server"`. A utility that wraps the client's error keeps it as its `cause` (Powertools
 * Parameters' `GetParameterError`): that cause is what is judged. Errors without `$metadata` are not
 * the SDK's (a vendor's `VendorUnavailable`, a bug) and keep their name, as does a refusal (a
 * conditional check, an access denied).
 */
export function asAwsUnavailable(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof AwsServiceUnavailable) return error;
  const sdk = sdkError(error) ?? sdkError(error.cause);
  if (sdk === undefined) return error;
  const transient = sdk.$retryable !== undefined || sdk.$fault === 'server' || AWS_THROTTLING_OR_FAULT.has(sdk.name) || sdk.name === 'TimeoutError' || (sdk.code !== undefined && NETWORK_CODES.has(sdk.code));
  if (!transient) return error;
  const unavailable = new AwsServiceUnavailable('an AWS call', sdk.code ?? sdk.name);
  unavailable.cause = error;
  return unavailable;
}

type SdkError = Error & { $fault?: string; $retryable?: unknown; $metadata: object; code?: string };

function sdkError(error: unknown): SdkError | undefined {
  return error instanceof Error && (error as Partial<SdkError>).$metadata !== undefined ? (error as SdkError) : undefined;
}
