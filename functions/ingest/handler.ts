import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { Ledger } from '../adapters/ledger.ts';
import { lowerCaseHeaders } from '../adapters/signed-request.ts';
import { parseContract } from '../contracts/zod.ts';
import { commaSeparated, readSecret } from '../runtime/secrets.ts';
import { tracer } from '../runtime/tracer.ts';
import { UNKNOWN_VENDOR, VENDOR_DIMENSION, webhookAnswerMetric } from './answer-metrics.ts';
import { admitEvents } from './admit-events.ts';
import { busEntry, putAllEntries } from './bus-entry.ts';
import { deliveries } from './deliveries.ts';
import { IngestEnvironment, WebhookSendersVariable } from './environment.ts';
import { receiveWebhook } from './receive-webhook.ts';
import { ingestTokens, vendorApis, vendorSettings } from './vendor-api.ts';

// Created once per execution environment, outside the handler (Powertools examples/app).
const logger = new Logger();
const metrics = new Metrics();
const env = parseContract(IngestEnvironment, process.env, 'ingest environment');
const senderVariable = parseContract(WebhookSendersVariable, JSON.parse(env.WEBHOOK_SENDERS), 'WEBHOOK_SENDERS');
// Who may say what, as the stage's `webhooks` says (functions/ingest/senders.ts).
const senders = Object.fromEntries(Object.entries(senderVariable).map(([vendor, ofPath]) => [vendor, Object.fromEntries(Object.entries(ofPath).map(([sender, { types }]) => [sender, types]))]));
const now = () => new Date();
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const eventBridge = tracer.captureAWSv3Client(new EventBridgeClient({}));
// Only to seal the events' personal fields (functions/adapters/sealed.ts: the bus carries their ids) and
// to count and hold an account's flood (functions/adapters/flood-guard.ts).
const ledger = new Ledger(dynamodb, env.TABLE_NAME);
const eventsPerAccountPerHour = Number(env.EVENTS_PER_ACCOUNT_PER_HOUR);

// HubSpot's webhooks name objects only: they are read with the stage's token (VENDOR_SECRET_ID), when the stage configures HubSpot.
const vendorSecretId = env.VENDOR_SECRET_ID;
const vendorApi = vendorApis({ env, tokens: async () => (vendorSecretId ? ingestTokens(await readSecret(vendorSecretId)) : {}) });

let context: Context | undefined;
const { publishOnce } = deliveries({
  dynamodb,
  tableName: env.TABLE_NAME,
  publish: async (events) => {
    const { publish, held } = await admitEvents(ledger, events, eventsPerAccountPerHour, now());
    // Ids only: which events the flood guard held, for whoever follows the alert.
    if (held.length > 0) logger.warn('events held by the flood guard', { held });
    await putAllEntries(
      publish.map((event) => busEntry(event, env.EVENT_BUS_NAME)),
      (entries) => eventBridge.send(new PutEventsCommand({ Entries: entries })),
    );
  },
  remainingTimeMs: () => context?.getRemainingTimeInMillis() ?? 10_000,
});

/** A sender's signing secrets, read at most once per five minutes (functions/runtime/secrets.ts). */
async function secretsOf(vendor: string, sender: string): Promise<readonly string[]> {
  const ofPath = Object.hasOwn(senderVariable, vendor) ? senderVariable[vendor]! : {};
  const secretId = Object.hasOwn(ofPath, sender) ? ofPath[sender]!.secretArn : undefined;
  // A sender the stage does not know: no secret, so nothing it sends verifies (401).
  return secretId ? commaSeparated(await readSecret(secretId)) : [];
}

/** `POST /webhooks/<vendor>` through API Gateway (HTTP API, payload v2): one route per vendor. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
  // Not the response in the trace: a refusal's text can quote the body, and bodies carry customer data.
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
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
      { now, senders, secrets: secretsOf, publishOnce, vendorApi, vendorSettings: vendorSettings(env), log: (message, fields) => logger.warn(message, fields), count: (name, value) => metrics.addMetric(name, 'Count', value) },
    );
    metrics.addDimension(VENDOR_DIMENSION, Object.hasOwn(senderVariable, vendor) ? vendor : UNKNOWN_VENDOR);
    metrics.addMetric(webhookAnswerMetric(response.statusCode), 'Count', 1);
    // The status only: a refusal's text can quote the body, and bodies carry customer data.
    if (response.statusCode >= 400) logger.warn('webhook refused', { vendor, statusCode: response.statusCode });
    return { statusCode: response.statusCode, headers: { 'content-type': 'application/json', ...response.headers }, body: JSON.stringify(response.body) };
  });
