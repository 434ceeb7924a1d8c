import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Ledger } from '../../functions/adapters/ledger.ts';
import { openSealed } from '../../functions/adapters/sealed.ts';
import { DETAIL_TYPES } from '../../functions/contracts/index.ts';
import { ENDPOINT_TABLE_ACCESS } from '../../lib/functions.ts';
import { tableStatements } from '../../lib/table-grants.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { startGrantedDynamoDB, type GrantedDynamoDB } from '../support/aws/granted-dynamodb.ts';
import { startLocalEventBridge, type LocalEventBridge } from '../support/aws/eventbridge.ts';
import { lambdaContext } from '../support/aws/lambda-context.ts';
import { captureOutput } from '../support/aws/playbook-lambdas.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from '../support/aws/secrets-manager.ts';

// The ingest Lambda (functions/ingest/handler.ts) end to end, through its real clients: API Gateway
// HTTP API (payload v2) events in, PutEvents to a local EventBridge, GetSecretValue from a local
// Secrets Manager, and Powertools idempotency's items in DynamoDB (dynalite). EventBridge and Secrets
// Manager have no local implementation, so each is a small HTTP server on 127.0.0.1 implementing the
// documented AWS JSON 1.1 operation; it checks the target, the content type and the SigV4 signature of
// every request and records what it received.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIAINGESTTEST000001', secretAccessKey: 'ingest-test-secret-access-key' };
const EVENT_BUS_NAME = 'cs-playbooks-test-bus';
const SECRET_NAME = 'cs-playbooks/test/webhook-secrets';
const NPS_TOOL_SECRET_NAME = 'cs-playbooks/test/nps-tool-webhook-secrets';

// Standard Webhooks secrets: `whsec_` then base64 of the HMAC key. The current one first, the older
// one second, as during a rotation. Test values only.
const CURRENT_SECRET = `whsec_${Buffer.from('ingest test current signing key, 32b').toString('base64')}`;
const OLDER_SECRET = `whsec_${Buffer.from('ingest test older signing key, 32 by').toString('base64')}`;
const UNKNOWN_SECRET = `whsec_${Buffer.from('a key the vendor was never given!!!!').toString('base64')}`;
const NPS_TOOL_SECRET = `whsec_${Buffer.from('the NPS tool’s own signing key, 32b').toString('base64')}`;

const SAMPLE = readFileSync(new URL('../../functions/contracts/samples/NpsResponseReceived.json', import.meta.url), 'utf8');
const sample = JSON.parse(SAMPLE) as { type: string; timestamp: string; data: { eventId: string } & Record<string, unknown> };

type IngestHandler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;

let eventBridge: LocalEventBridge;
let secretsManager: LocalSecretsManager;
let db: LocalDynamoDB;
let granted: GrantedDynamoDB;
let handler: IngestHandler;

beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-ingest-handler-test');
  // The table as the ingest's role sees it: its grant, derived from lib/functions.ts as the stack derives it.
  granted = await startGrantedDynamoDB(db.endpoint);
  granted.actAs('ingest', { statements: tableStatements(ENDPOINT_TABLE_ACCESS.ingest) });
  eventBridge = await startLocalEventBridge({ region: REGION, credentials: CREDENTIALS });
  secretsManager = await startLocalSecretsManager({
    region: REGION,
    credentials: CREDENTIALS,
    secrets: [
      { name: SECRET_NAME, value: `${CURRENT_SECRET}, ${OLDER_SECRET}` },
      { name: NPS_TOOL_SECRET_NAME, value: NPS_TOOL_SECRET },
    ],
  });
  // The module creates its clients and parses its environment at import: stub first, import after.
  vi.stubEnv('AWS_REGION', REGION);
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', eventBridge.endpoint);
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secretsManager.endpoint);
  vi.stubEnv('EVENT_BUS_NAME', EVENT_BUS_NAME);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', granted.endpoint);
  vi.stubEnv('TABLE_NAME', db.tableName);
  // Two senders of /webhooks/events, each with its secret and its types, as the stack sets them (lib/constructs/webhook-endpoint.ts).
  vi.stubEnv(
    'WEBHOOK_SENDERS',
    JSON.stringify({
      events: {
        'test-sender': { secretArn: secretsManager.arnOf(SECRET_NAME), types: ['NpsResponseReceived', 'ProductUsageRecorded'] },
        'nps-tool': { secretArn: secretsManager.arnOf(NPS_TOOL_SECRET_NAME), types: ['NpsResponseReceived'] },
      },
    }),
  );
  vi.stubEnv('EVENTS_PER_ACCOUNT_PER_HOUR', '30');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'ingest-test');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'CsPlaybooksTest');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await eventBridge?.close();
  await secretsManager?.close();
  await granted?.close();
  await db?.close();
});

beforeEach(async () => {
  eventBridge.reset();
  secretsManager.reset();
  // A cold start per test: the secrets' cache and the clients are built at import.
  vi.resetModules();
  ({ handler } = (await import('../../functions/ingest/handler.ts')) as { handler: IngestHandler });
});

afterEach(() => {
  // A protocol refusal would surface in the handler as "EventBridge unavailable": never let it pass as such.
  expect(eventBridge.refusals).toEqual([]);
  expect(secretsManager.refusals).toEqual([]);
});

let messageCounter = 0;

/**
 * The event API Gateway (HTTP API, payload v2) hands the Lambda for a Standard Webhooks delivery of
 * `payload`, signed with `secret`; header names in mixed case, as a proxy may forward them.
 */
function signedDelivery(payload: string, { secret = CURRENT_SECRET, base64 = false, id = `msg_ingest_${++messageCounter}` } = {}): APIGatewayProxyEventV2 {
  const sentAt = new Date();
  const signature = new Webhook(secret).sign(id, sentAt, payload);
  const timeEpoch = sentAt.getTime();
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/events',
    rawPath: '/webhooks/events',
    rawQueryString: '',
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Webhook-Id': id,
      'WEBHOOK-TIMESTAMP': String(Math.floor(timeEpoch / 1000)),
      'webhook-Signature': signature,
      'User-Agent': 'vendor-webhooks/1.0',
      Host: 'abc123.execute-api.eu-west-3.amazonaws.com',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-3.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'POST', path: '/webhooks/events', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'vendor-webhooks/1.0' },
      requestId: `api-${id}`,
      routeKey: 'POST /webhooks/events',
      stage: '$default',
      time: sentAt.toUTCString(),
      timeEpoch,
    },
    body: base64 ? Buffer.from(payload, 'utf8').toString('base64') : payload,
    isBase64Encoded: base64,
  };
}

function deliver(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return handler(event, lambdaContext('cs-playbooks-ingest'));
}

function bodyOf(response: APIGatewayProxyStructuredResultV2): Record<string, unknown> {
  expect(response.headers).toMatchObject({ 'content-type': 'application/json' });
  return JSON.parse(String(response.body)) as Record<string, unknown>;
}

const ACCEPTED = { accepted: true, eventId: sample.data.eventId, type: 'NpsResponseReceived', events: [{ eventId: sample.data.eventId, type: 'NpsResponseReceived' }] };

describe('ingest Lambda: a signed webhook is verified, then put on the bus before it is acknowledged', () => {
  it.each([
    ['as plain text', false],
    ['base64-encoded (isBase64Encoded)', true],
  ])('given a sample NpsResponseReceived signed with the current secret, delivered %s, when it is received, then it is answered 202 and exactly one entry is on the bus', async (_how, base64) => {
    const response = await deliver(signedDelivery(SAMPLE, { base64 }));

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual(ACCEPTED);
    expect(eventBridge.requests.map((request) => request.operation)).toEqual(['PutEvents']);
    expect(eventBridge.events).toHaveLength(1);
    const [entry] = eventBridge.events;
    expect(entry).toMatchObject({ Source: 'cs-playbooks', DetailType: 'NpsResponseReceived', EventBusName: EVENT_BUS_NAME });
    // The comment (a person's words) is sealed in the ledger: the bus carries its id (functions/adapters/sealed.ts).
    const detail = JSON.parse(entry!.Detail) as Record<string, unknown>;
    expect(detail).toEqual({ ...sample.data, comment: { sealed: expect.stringMatching(/^sld-/), accountId: sample.data.accountId } });
    expect(await openSealed(new Ledger(db.client, db.tableName), detail, sample.data.accountId as string)).toEqual(sample.data);
    expect(entry!.Time?.toISOString()).toBe(new Date(sample.timestamp).toISOString());
  });

  it('given a message signed with the second (older) secret of the list, when it is received, then it is accepted: a rotation does not lose deliveries', async () => {
    const response = await deliver(signedDelivery(SAMPLE, { secret: OLDER_SECRET }));

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual(ACCEPTED);
    expect(eventBridge.events).toHaveLength(1);
  });

  it('given a message signed with a secret that is not in the list, when it is received, then it is answered 401 and nothing is sent to EventBridge', async () => {
    const response = await deliver(signedDelivery(SAMPLE, { secret: UNKNOWN_SECRET }));

    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toEqual({ error: expect.stringMatching(/^Signature rejected/) });
    expect(eventBridge.requests).toEqual([]);
  });

  it('given a signed message whose body was altered after signing, when it is received, then it is answered 401 and nothing is sent to EventBridge', async () => {
    const event = signedDelivery(SAMPLE);
    event.body = SAMPLE.replace('"score": 4', '"score": 10');
    expect(event.body).not.toBe(SAMPLE);

    const response = await deliver(event);

    expect(response.statusCode).toBe(401);
    expect(eventBridge.requests).toEqual([]);
  });

  it('given EventBridge refuses the entry once (HTTP 200, FailedEntryCount 1, InternalFailure), when a signed message is received, then the refused entry is put again and it is answered 202', async () => {
    eventBridge.refuseNextEntry('InternalFailure');

    const response = await deliver(signedDelivery(SAMPLE));

    expect(response.statusCode).toBe(202);
    expect(eventBridge.requests).toHaveLength(2);
    expect(eventBridge.events).toHaveLength(1);
  });

  it('given EventBridge refuses the entry three times, when a signed message is received, then it is answered 503 so the vendor sends it again, and that delivery is then accepted', async () => {
    for (let i = 0; i < 3; i++) eventBridge.refuseNextEntry('ThrottlingException', 'Rate exceeded');
    const delivery = signedDelivery(SAMPLE);

    const refused = await deliver(delivery);
    const redelivered = await deliver(delivery);

    expect(refused.statusCode).toBe(503);
    // A fixed answer: what AWS said stays in the function's log (names and codes), never in the reply.
    expect(bodyOf(refused)).toEqual({ error: 'The events could not be put on the bus; send it again' });
    expect(refused.headers).toMatchObject({ 'retry-after': expect.any(String) });
    // Nothing was remembered for the failed attempt: the redelivery publishes.
    expect(redelivered.statusCode).toBe(202);
    expect(eventBridge.events).toHaveLength(1);
  });

  it('given a delivery accepted, when the vendor delivers it again (same webhook-id), then it is answered 202 again and nothing more goes on the bus', async () => {
    const delivery = signedDelivery(SAMPLE);

    const first = await deliver(delivery);
    const again = await deliver(delivery);

    expect([first.statusCode, again.statusCode]).toEqual([202, 202]);
    expect(bodyOf(again)).toEqual({ ...ACCEPTED, redelivered: true });
    expect(eventBridge.requests.map((request) => request.operation)).toEqual(['PutEvents']);
  });

  it('given EventBridge answers HTTP 500 to every attempt, when a signed message is received, then the event is not dropped silently: the SDK retries, then the handler answers 503', async () => {
    eventBridge.failNextRequests(100, 500, 'InternalException');

    const response = await deliver(signedDelivery(SAMPLE));

    expect(response.statusCode).toBe(503);
    expect(bodyOf(response)).toEqual({ error: expect.stringMatching(/^The events could not be put on the bus; send it again/) });
    expect(eventBridge.events).toEqual([]);
    // The SDK's standard retry mode makes 3 attempts in all; each carried the same entry.
    expect(eventBridge.requests).toHaveLength(3);
    expect(new Set(eventBridge.requests.map((request) => JSON.stringify(request.body))).size).toBe(1);
  });

  it('given EventBridge answers HTTP 500 once, when a signed message is received, then the SDK retry puts it on the bus and it is answered 202', async () => {
    eventBridge.failNextRequests(1, 500, 'InternalException');

    const response = await deliver(signedDelivery(SAMPLE));

    expect(response.statusCode).toBe(202);
    expect(eventBridge.requests).toHaveLength(2);
    expect(eventBridge.events).toHaveLength(1);
  });

  it("given a cold cache, when two signed messages are received, then each sender's secret is read from Secrets Manager once and reused", async () => {
    expect((await deliver(signedDelivery(SAMPLE))).statusCode).toBe(202);
    expect((await deliver(signedDelivery(SAMPLE, { secret: OLDER_SECRET }))).statusCode).toBe(202);

    expect(secretsManager.requests.map((request) => request.body.SecretId).sort()).toEqual([secretsManager.arnOf(NPS_TOOL_SECRET_NAME), secretsManager.arnOf(SECRET_NAME)].sort());
    expect(secretsManager.requests.map((request) => request.operation)).toEqual(['GetSecretValue', 'GetSecretValue']);
    expect(eventBridge.events).toHaveLength(2);
  });
});

describe('ingest Lambda: the product\'s usage goes on the bus as any event, for the usage recorder', () => {
  const USAGE = readFileSync(new URL('../../functions/contracts/samples/ProductUsageRecorded.json', import.meta.url), 'utf8');
  const output = captureOutput();

  afterEach(() => {
    output.stop();
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  });

  it('given a signed ProductUsageRecorded, when it is received, then it is on the bus for the usage recorder, answered 202 as any event, and the log names neither the feature nor the contact', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.resetModules();
    ({ handler } = (await import('../../functions/ingest/handler.ts')) as { handler: IngestHandler });
    output.start();

    const response = await deliver(signedDelivery(USAGE));
    output.stop();

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({
      accepted: true,
      eventId: 'evt-sample-productUsageRecorded',
      type: 'ProductUsageRecorded',
      events: [{ eventId: 'evt-sample-productUsageRecorded', type: 'ProductUsageRecorded' }],
    });
    expect(eventBridge.events.map((entry) => entry.DetailType)).toEqual(['ProductUsageRecorded']);
    expect(output.text).not.toContain('online-booking');
  });
});

describe("ingest Lambda: every answer is counted by status and vendor, which the stage's webhook alarms sum", () => {
  const output = captureOutput();
  afterEach(() => output.stop());

  // What lib/stage-alarms.ts watches: the metric's name and its exact dimension set (service, vendor).
  const answerMetrics = (metricName: string) => output.records.filter((record) => metricName in record);

  const cases: [given: string, statusCode: number, arrange: () => void, signing: { secret?: string }][] = [
    ['a message signed with a secret the stage does not hold', 401, () => {}, { secret: UNKNOWN_SECRET }],
    ['EventBridge failing every attempt', 503, () => eventBridge.failNextRequests(100, 500, 'InternalException'), {}],
  ];
  it.each(cases)('given %s, when it is received, then one Webhook_%i is emitted (EMF) in the stage namespace with the service and vendor dimensions', async (_given, statusCode, arrange, signing) => {
    arrange();
    output.start();
    const response = await deliver(signedDelivery(SAMPLE, signing));
    output.stop();

    expect(response.statusCode).toBe(statusCode);
    const [emf, ...more] = answerMetrics(`Webhook_${statusCode}`);
    expect(more).toHaveLength(0);
    expect(emf).toMatchObject({
      service: 'ingest-test',
      vendor: 'events',
      [`Webhook_${statusCode}`]: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'CsPlaybooksTest', Dimensions: [['service', 'vendor']], Metrics: [{ Name: `Webhook_${statusCode}`, Unit: 'Count' }] }] },
    });
  });
});

describe("ingest Lambda: who may say what, each sender of /webhooks/events by its own secret", () => {
  const output = captureOutput();
  afterEach(() => output.stop());

  const sampleOf = (type: string) => readFileSync(new URL(`../../functions/contracts/samples/${type}.json`, import.meta.url), 'utf8');

  it.each(DETAIL_TYPES)('given %s signed with the NPS tool’s secret (it may publish NpsResponseReceived only), when it is received, then it is accepted if, and only if, it is an NPS answer; a refusal is 403 naming the type and the sender, with nothing sent to EventBridge', async (type) => {
    const response = await deliver(signedDelivery(sampleOf(type), { secret: NPS_TOOL_SECRET }));

    if (type === 'NpsResponseReceived') {
      expect(response.statusCode).toBe(202);
      expect(eventBridge.events.map((entry) => entry.DetailType)).toEqual([type]);
    } else {
      expect(response.statusCode).toBe(403);
      expect(bodyOf(response)).toEqual({ error: expect.stringMatching(new RegExp(`^The sender "nps-tool" of /webhooks/events may not publish ${type}: `)) });
      expect(eventBridge.requests).toEqual([]);
    }
  });

  it('given a ProductUsageRecorded refused to the NPS tool, when the same delivery (same webhook-id) is sent again signed by a sender allowed it, then it is accepted: the refusal recorded nothing', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    vi.resetModules();
    ({ handler } = (await import('../../functions/ingest/handler.ts')) as { handler: IngestHandler });
    const allowed = sampleOf('ProductUsageRecorded');
    output.start();

    const refused = await deliver(signedDelivery(allowed, { secret: NPS_TOOL_SECRET, id: 'msg_corrected_1' }));
    const corrected = await deliver(signedDelivery(allowed, { secret: CURRENT_SECRET, id: 'msg_corrected_1' }));
    output.stop();
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');

    expect([refused.statusCode, corrected.statusCode]).toEqual([403, 202]);
    expect(bodyOf(corrected)).not.toHaveProperty('redelivered');
    expect(eventBridge.events.map((entry) => entry.DetailType)).toEqual(['ProductUsageRecorded']);
    // For ops: the vendor, the sender and the types, and Webhook_403 by vendor (WebhookForbiddenAlarm sums it); never the body.
    expect(output.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'WARN', message: 'webhook event type not allowed for its sender', vendor: 'events', senders: 'nps-tool', types: 'ProductUsageRecorded' }),
        expect.objectContaining({ vendor: 'events', Webhook_403: 1, _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Dimensions: [['service', 'vendor']] })] }) }),
      ]),
    );
    expect(output.text).not.toContain('online-booking');
  });
});

describe('ingest Lambda: the flood guard', () => {
  it('given a stage allowing 3 guarded events an account an hour, when 5 NPS answers of one account arrive, then 3 go on the bus, 2 are held in the ledger (202, nothing dropped), and each held one raises the account’s flood for the hour', { timeout: 30_000 }, async () => {
    vi.stubEnv('EVENTS_PER_ACCOUNT_PER_HOUR', '3');
    vi.resetModules();
    ({ handler } = (await import('../../functions/ingest/handler.ts')) as { handler: IngestHandler });
    const accountId = `acc-flood-${Date.now()}`;
    const answer = (n: number) => JSON.stringify({ ...sample, data: { ...sample.data, eventId: `evt-flood-${n}`, accountId } });

    // The guard counts by the clock hour of the ingest's (wall) clock: not astride an hour's end.
    const toNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (toNextHour < 10_000) await new Promise((resolve) => setTimeout(resolve, toNextHour + 100));
    const answers = [];
    for (let n = 1; n <= 5; n++) answers.push(await deliver(signedDelivery(answer(n))));
    vi.stubEnv('EVENTS_PER_ACCOUNT_PER_HOUR', '30');

    expect(answers.map((response) => response.statusCode)).toEqual([202, 202, 202, 202, 202]);
    const onBus = eventBridge.events.map((entry) => [entry.DetailType, (JSON.parse(entry.Detail) as { eventId: string }).eventId]);
    // The counter's window is the hour of the ingest's clock: the 4th and 5th raise the same flood id.
    const flood = onBus.find(([type]) => type === 'AccountFlooded')?.[1];
    expect(flood).toMatch(new RegExp(`^flood:${accountId}:\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00\\.000Z$`));
    expect(onBus).toEqual([
      ['NpsResponseReceived', 'evt-flood-1'],
      ['NpsResponseReceived', 'evt-flood-2'],
      ['NpsResponseReceived', 'evt-flood-3'],
      ['AccountFlooded', flood],
      ['AccountFlooded', flood],
    ]);
    const held = await new Ledger(db.client, db.tableName).heldEvents(accountId);
    expect(held.map(({ message }) => [message.type, message.data.eventId])).toEqual([
      ['NpsResponseReceived', 'evt-flood-4'],
      ['NpsResponseReceived', 'evt-flood-5'],
    ]);
    // Held as they would have gone on the bus: their comment sealed.
    expect(held[0]!.message.data).toMatchObject({ comment: { sealed: expect.stringMatching(/^sld-/), accountId } });
  });
});
