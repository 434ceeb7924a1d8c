import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { awsJsonServiceFromEnvironment, callAwsJson } from '../adapters/aws-json.ts';
import { CachedSecret, commaSeparated, secretsManagerFromEnvironment } from '../adapters/secrets/cached-secret.ts';
import { lowerCaseHeaders } from '../adapters/signed-request.ts';
import { parseContract } from '../contracts/zod.ts';
import { UNKNOWN_VENDOR, VENDOR_DIMENSION, webhookAnswerMetric } from './answer-metrics.ts';
import { busEntry, putAllEntries, type PutEventsAnswer } from './bus-entry.ts';
import { deliveries } from './deliveries.ts';
import { IngestEnvironment, WebhookSecretArns } from './environment.ts';
import { receiveWebhook } from './receive-webhook.ts';
import { ingestTokens, vendorApis, vendorSettings } from './vendor-api.ts';

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
const env = parseContract(IngestEnvironment, process.env, 'ingest environment');
const secretArns = parseContract(WebhookSecretArns, JSON.parse(env.WEBHOOK_SECRET_ARNS), 'WEBHOOK_SECRET_ARNS');
const now = () => new Date();
// DynamoDB and EventBridge over their JSON APIs with signed `fetch` (adapters/aws-json.ts), not the
// SDK's clients: with them, this bundle is 40 KB over its bundle budget.
const dynamodb = awsJsonServiceFromEnvironment(process.env, now, { signingName: 'dynamodb', targetPrefix: 'DynamoDB_20120810', protocol: '1.0', endpointVariable: 'AWS_ENDPOINT_URL_DYNAMODB' });
const eventBridge = awsJsonServiceFromEnvironment(process.env, now, { signingName: 'events', targetPrefix: 'AWSEvents', protocol: '1.1', endpointVariable: 'AWS_ENDPOINT_URL_EVENTBRIDGE' });
// One cache per vendor secret: five minutes, so a rotation reaches every instance within that time.
const secretsManager = secretsManagerFromEnvironment(process.env, now);
const vendorSecrets = new Map(Object.entries(secretArns).map(([vendor, secretId]) => [vendor, new CachedSecret(secretsManager, secretId, commaSeparated)]));

// HubSpot's webhooks name objects only: they are read with the stage's token (VENDOR_SECRET_ID), when the stage configures HubSpot.
const vendorTokens = env.VENDOR_SECRET_ID ? new CachedSecret(secretsManager, env.VENDOR_SECRET_ID, ingestTokens) : undefined;
const vendorApi = vendorApis({ env, tokens: async () => (vendorTokens ? vendorTokens.read() : {}) });

let context: Context | undefined;
const { publishOnce } = deliveries({
  dynamodb,
  tableName: env.TABLE_NAME,
  publish: (events) =>
    putAllEntries(
      events.map((event) => busEntry(event, env.EVENT_BUS_NAME)),
      // JSON 1.1 carries a timestamp as epoch seconds.
      (entries) => callAwsJson<PutEventsAnswer>(eventBridge, 'PutEvents', { Entries: entries.map((entry) => ({ ...entry, Time: entry.Time.getTime() / 1000 })) }),
    ),
  remainingTimeMs: () => context?.getRemainingTimeInMillis() ?? 10_000,
});

async function secretsOf(vendor: string): Promise<readonly string[]> {
  const secrets = vendorSecrets.get(vendor);
  // A vendor the stage does not connect: no secret, so nothing it sends verifies (401).
  return secrets ? secrets.read() : [];
}

/** `POST /webhooks/<vendor>` through API Gateway (HTTP API, payload v2): one route per vendor. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics))
  .handler(async (event, lambdaContext) => {
    context = lambdaContext;
    const vendor = event.rawPath.split('/').pop() ?? '';
    const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
    const response = await receiveWebhook(
      vendor,
      {
        method: event.requestContext.http.method,
        // What the sender called (HubSpot signs it): the API's domain, custom or not, and the raw path.
        url: `https://${event.requestContext.domainName}${event.rawPath}${query}`,
        headers: lowerCaseHeaders(event.headers),
        rawBody: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
      },
      { now, secrets: secretsOf, publishOnce, vendorApi, vendorSettings: vendorSettings(env), log: (message, fields) => logger.warn(message, fields), count: (name, value) => metrics.addMetric(name, 'Count', value) },
    );
    metrics.addDimension(VENDOR_DIMENSION, vendor in secretArns ? vendor : UNKNOWN_VENDOR);
    metrics.addMetric(webhookAnswerMetric(response.statusCode), 'Count', 1);
    // The status only: a refusal's text can quote the body, and bodies carry customer data.
    if (response.statusCode >= 400) logger.warn('webhook refused', { vendor, statusCode: response.statusCode });
    return { statusCode: response.statusCode, headers: { 'content-type': 'application/json', ...response.headers }, body: JSON.stringify(response.body) };
  });
