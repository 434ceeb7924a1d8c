import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lowerCaseHeaders } from '../adapters/signed-request.ts';
import { parseContract } from '../contracts/zod.ts';
import { IngestEnvironment } from './environment.ts';
import { busEntry } from './bus-entry.ts';
import { receiveWebhook } from './receive-webhook.ts';


const logger = new Logger();
const metrics = new Metrics();
const eventBridge = new EventBridgeClient({});
const env = parseContract(IngestEnvironment, process.env, 'ingest environment');

async function publish(message: Parameters<typeof busEntry>[0]): Promise<void> {
  const result = await eventBridge.send(new PutEventsCommand({ Entries: [busEntry(message, env.EVENT_BUS_NAME)] }));
  // PutEvents answers 200 even when an entry was refused: only FailedEntryCount tells.
  if (result.FailedEntryCount) {
    const entry = result.Entries?.[0];
    throw new Error(`PutEvents refused the entry: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
  }
}

async function activeSecrets(): Promise<string[]> {
  // Cached for five minutes: a rotation reaches every instance within that time.
  const value = await getSecret(env.WEBHOOK_SECRET_ARN, { maxAge: 300 });
  if (typeof value !== 'string') throw new Error('The webhook secret must be a string of comma-separated secrets');
  return value.split(',').map((secret) => secret.trim()).filter(Boolean);
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const headers = lowerCaseHeaders(event.headers);
    const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const response = await receiveWebhook({ headers, rawBody }, { secrets: await activeSecrets(), publish });
    metrics.addMetric(`Webhook_${response.statusCode}`, 'Count', 1);
    // The status only: a refusal's text can quote the body, and bodies carry customer data.
    if (response.statusCode >= 400) logger.warn('webhook refused', { statusCode: response.statusCode });
    return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  });
