import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { Ledger } from '../adapters/ledger.ts';
import { CachedSecret, commaSeparated, secretsManagerFromEnvironment } from '../adapters/secrets/cached-secret.ts';
import { lowerCaseHeaders } from '../adapters/signed-request.ts';
import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { parseContract } from '../contracts/zod.ts';
import { decideApproval } from './decide-approval.ts';
import { DecideApprovalEnvironment } from './environment.ts';

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
const env = parseContract(DecideApprovalEnvironment, process.env, 'decide-approval environment');
const ledger = new Ledger(new DynamoDBClient({}), env.TABLE_NAME);
const now = () => new Date();
const callbacks = stepFunctionsFromEnvironment(process.env, now);
const secrets = new CachedSecret(secretsManagerFromEnvironment(process.env, now), env.APPROVAL_SECRET_ARN, commaSeparated);

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const response = await decideApproval(
      { approvalId: event.pathParameters?.approvalId ?? '', headers: lowerCaseHeaders(event.headers), rawBody },
      { secrets: await secrets.read(), ledger, callbacks, now, log: (message, fields) => logger.info(message, fields) },
    );
    metrics.addMetric(`Approval_${response.statusCode}`, 'Count', 1);
    // The status only: a refusal can quote the body, and bodies carry the e-mail's text.
    if (response.statusCode >= 400) logger.warn('approval decision refused', { statusCode: response.statusCode });
    return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  });
