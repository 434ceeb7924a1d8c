import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { Ledger } from '../adapters/ledger.ts';
import { lowerCaseHeaders } from '../adapters/signed-request.ts';
import { parseContract } from '../contracts/zod.ts';
import { commaSeparated, readSecret } from '../runtime/secrets.ts';
import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { tracer } from '../runtime/tracer.ts';
import { decideApproval } from './decide-approval.ts';
import { DecideApprovalEnvironment } from './environment.ts';

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
const env = parseContract(DecideApprovalEnvironment, process.env, 'decide-approval environment');
const ledger = new Ledger(tracer.captureAWSv3Client(new DynamoDBClient({})), env.TABLE_NAME);
const now = () => new Date();

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  // Not the response in the trace: a refusal can quote the body, and bodies carry the e-mail's text.
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const response = await decideApproval(
      { approvalId: event.pathParameters?.approvalId ?? '', headers: lowerCaseHeaders(event.headers), rawBody },
      // The approval signing secrets, read at most once per five minutes.
      { secrets: commaSeparated(await readSecret(env.APPROVAL_SECRET_ARN)), ledger, callbacks: stepFunctionsCallbacks, now, log: (message, fields) => logger.info(message, fields) },
    );
    metrics.addMetric(`Approval_${response.statusCode}`, 'Count', 1);
    // The status only: a refusal can quote the body, and bodies carry the e-mail's text.
    if (response.statusCode >= 400) logger.warn('approval decision refused', { statusCode: response.statusCode });
    return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  });
