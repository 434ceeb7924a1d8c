import type { Context } from 'aws-lambda';

/** A minimal Lambda `Context`, as the runtime passes it (Powertools' Logger reads its fields). */
export function lambdaContext(functionName: string, awsRequestId = `req-${Math.random().toString(16).slice(2, 10)}`): Context {
  const unused = () => {
    throw new Error('done/fail/succeed are the callback-era API: async handlers return or throw');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-3:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/20/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: unused,
    fail: unused,
    succeed: unused,
  };
}
