import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { asAwsUnavailable, AwsServiceUnavailable } from '../../functions/adapters/aws-unavailable.ts';
import { VendorUnavailable } from '../../functions/adapters/vendor-errors.ts';

// What a function rejects with when an AWS SDK client fails: a transient failure becomes
// AwsServiceUnavailable (waited out for many minutes by the failure policies); anything else keeps its name.

const metadata = { $metadata: { httpStatusCode: 400 } };
const sdkError = (name: string, fields: Record<string, unknown>) => Object.assign(new Error(name), { name, ...metadata, ...fields });

describe('an AWS SDK error, once the SDK’s own retries are spent', () => {
  it.each([
    ['DynamoDB throttled', new ProvisionedThroughputExceededException({ ...metadata, message: 'Rate of requests exceeds the allowed throughput' })],
    ['a service marked retryable', sdkError('SomethingBusy', { $retryable: { throttling: true } })],
    ['a server fault', sdkError('InternalServerError', { $fault: 'server', $metadata: { httpStatusCode: 500 } })],
    ['a request that timed out', sdkError('TimeoutError', {})],
    ['a connection cut', sdkError('Error', { code: 'ECONNRESET' })],
    ['Secrets Manager throttled, as Powertools Parameters rethrows it (its cause)', new GetParameterError('Rate exceeded', { cause: sdkError('ThrottlingException', { $retryable: { throttling: true } }) })],
  ])('given %s, then AwsServiceUnavailable, the original as its cause', (_case, error) => {
    const mapped = asAwsUnavailable(error);
    expect(mapped).toBeInstanceOf(AwsServiceUnavailable);
    expect((mapped as Error).cause).toBe(error);
  });

  it.each([
    ['a conditional check that failed (an answer, not an outage)', new ConditionalCheckFailedException({ ...metadata, message: 'The conditional request failed' })],
    ['a vendor’s network failure (the vendor outage has its own retrier)', Object.assign(new VendorUnavailable({ vendor: 'hubspot', operation: 'tasks.upsert', status: 0 }), { code: 'ECONNRESET' })],
    ['a timeout of a plain fetch (no SDK metadata)', Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })],
    ['a secret that does not exist, as Powertools Parameters rethrows it (a misconfiguration)', new GetParameterError('not found', { cause: new ResourceNotFoundException({ ...metadata, message: "Secrets Manager can't find the specified secret." }) })],
    ['a bug', new TypeError('cannot read properties of undefined')],
  ])('given %s, then the error as it is', (_case, error) => {
    expect(asAwsUnavailable(error)).toBe(error);
  });
});
