import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The function's tracer, one per execution environment (Powertools examples/app): the handler's
 * middleware opens the invocation's subsegment (`captureLambdaHandler`), and every AWS SDK client is
 * created through `tracer.captureAWSv3Client`, so each call is a subsegment of it with its service,
 * operation and outcome. Its service is POWERTOOLS_SERVICE_NAME; it traces only on Lambda (with active
 * tracing), and is a no-op in the sandbox and the tests.
 */
export const tracer = new Tracer();
