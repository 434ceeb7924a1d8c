import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveSettings, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { deliveries } from '../../functions/ingest/deliveries.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { webhookSenders } from '../../functions/ingest/senders.ts';
import type { InboundRequest } from '../../functions/ingest/vendor.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { startServer } from '../../sandbox/server.ts';

// `POST /webhooks/events` (functions/ingest/vendors/standard-webhooks.ts) through the ingest's pipeline,
// with Powertools idempotency on a real DynamoDB API (dynalite): messages signed by the
// `standardwebhooks` npm library, as the company's product sends them.

const CURRENT = `whsec_${Buffer.from('standard webhooks current key, 32').toString('base64')}`;
const PREVIOUS = `whsec_${Buffer.from('standard webhooks previous key 32').toString('base64')}`;
const SAMPLE = readFileSync(new URL('../../functions/contracts/samples/NpsResponseReceived.json', import.meta.url), 'utf8');

let db: LocalDynamoDB;
let published: DomainEventMessage[];
let deps: IngestDeps;
let secrets: string[];

beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-standard-webhooks-test');
});
afterAll(() => db?.close());
beforeEach(() => {
  published = [];
  secrets = [CURRENT, PREVIOUS];
  const { publishOnce } = deliveries({ dynamodb: db.client, tableName: db.tableName, publish: async (events) => void published.push(...events), remainingTimeMs: () => 10_000 });
  // One sender, allowed the sample's type (test/ingest/senders.test.ts has who may say what).
  deps = { now: () => new Date(), senders: webhookSenders({ events: { 'nps-tool': ['NpsResponseReceived'] } }), secrets: async () => secrets, publishOnce };
});

let counter = 0;

/** A message as the `standardwebhooks` library signs it, with `secret`, at `at`. */
function signed(body: string | Buffer, { secret = CURRENT, at = new Date(), id = `msg_${++counter}` } = {}): InboundRequest {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return {
    method: 'POST',
    url: 'https://abc123.execute-api.eu-west-3.amazonaws.com/webhooks/events',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, rawBody.toString('utf8')),
    },
    rawBody,
  };
}

/** The same request with one byte of its body changed, at `position`. */
function withOneByteChanged(request: InboundRequest, position: number): InboundRequest {
  const rawBody = Buffer.from(request.rawBody);
  rawBody[position] = rawBody[position]! ^ 0x01;
  return { ...request, rawBody };
}

describe('Standard Webhooks: what verifies', () => {
  it('given a message signed by the standardwebhooks library with the current secret, then 202 and its event on the bus', async () => {
    const answer = await receiveWebhook('events', signed(SAMPLE), deps);

    expect(answer).toEqual({ statusCode: 202, body: { accepted: true, eventId: 'evt-sample-npsResponseReceived', type: 'NpsResponseReceived', events: [{ eventId: 'evt-sample-npsResponseReceived', type: 'NpsResponseReceived' }] } });
    expect(published.map((event) => event.type)).toEqual(['NpsResponseReceived']);
  });

  it('given a message signed with the previous secret (a rotation under way), then it verifies', async () => {
    expect((await receiveWebhook('events', signed(SAMPLE, { secret: PREVIOUS }), deps)).statusCode).toBe(202);
  });

  it('given a rotation where the second secret was pasted wrong (not a whsec_ value), then the first still verifies', async () => {
    secrets = [CURRENT, 'not-a-whsec-value'];
    expect((await receiveWebhook('events', signed(SAMPLE), deps)).statusCode).toBe(202);
  });

  it.each([
    ['the first byte', 0],
    ['a byte in the middle', Math.floor(SAMPLE.length / 2)],
    ['the last byte', SAMPLE.length - 1],
  ])('given %s of the body changed after signing, then 401 and nothing on the bus', async (_where, position) => {
    const answer = await receiveWebhook('events', withOneByteChanged(signed(SAMPLE), position), deps);

    expect(answer).toEqual({ statusCode: 401, body: { error: 'Signature rejected: No matching signature found' } });
    expect(published).toEqual([]);
  });

  it('given a message signed 15 minutes ago, then 401: outside the five-minute window', async () => {
    const answer = await receiveWebhook('events', signed(SAMPLE, { at: new Date(Date.now() - 15 * 60_000) }), deps);
    expect(answer).toEqual({ statusCode: 401, body: { error: 'Signature rejected: Message timestamp too old' } });
  });

  it.each([
    ['letters after the seconds', (seconds: number) => `${seconds}abc`],
    ['a leading space', (seconds: number) => ` ${seconds}`],
    ['a trailing space', (seconds: number) => `${seconds} `],
    ['an exponent', () => '1e9'],
    ['a sign', (seconds: number) => `+${seconds}`],
    ['a decimal point', (seconds: number) => `${seconds}.0`],
    ['hexadecimal', (seconds: number) => `0x${seconds.toString(16)}`],
  ])('given webhook-timestamp with %s (the library’s parseInt would read the seconds), then 401 saying it must be digits only, nothing on the bus', async (_what, write) => {
    const request = signed(SAMPLE);
    const seconds = Number(request.headers['webhook-timestamp']);

    const answer = await receiveWebhook('events', { ...request, headers: { ...request.headers, 'webhook-timestamp': write(seconds) } }, deps);

    expect(answer).toEqual({ statusCode: 401, body: { error: 'Signature rejected: webhook-timestamp must be a Unix time in seconds, digits only' } });
    expect(published).toEqual([]);
  });

  it('given the same message with its timestamp as digits only, then it verifies (the check above refuses the form, not the value)', async () => {
    expect((await receiveWebhook('events', signed(SAMPLE), deps)).statusCode).toBe(202);
  });

  it('given a message signed with a secret that is no longer active, then 401', async () => {
    secrets = [CURRENT];
    expect((await receiveWebhook('events', signed(SAMPLE, { secret: PREVIOUS }), deps)).statusCode).toBe(401);
  });

  it('given the same message delivered again (same webhook-id, a retry), then 202 again and nothing new on the bus', async () => {
    const request = signed(SAMPLE);

    const answers = [await receiveWebhook('events', request, deps), await receiveWebhook('events', request, deps)];

    expect(answers.map((answer) => answer.statusCode)).toEqual([202, 202]);
    expect(published).toHaveLength(1);
  });
});

describe('the pipeline’s refusals, in order', () => {
  it('given an unknown vendor, then 404 naming the webhook paths', async () => {
    const answer = await receiveWebhook('mailchimp', signed(SAMPLE), deps);
    expect(answer.statusCode).toBe(404);
    expect(answer.body.error).toMatch(/^Unknown vendor "mailchimp": the webhook paths are \/webhooks\/events/);
  });

  it('given a path that does not decode (/webhooks/%E0, on the running sandbox), then 404, not a 500', async () => {
    const sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings(), playbooks: [] });
    const server = await startServer(sandbox, { port: 0, secrets: () => [CURRENT] });
    try {
      const answer = await fetch(`${server.url}/webhooks/%E0`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(answer.status).toBe(404);
    } finally {
      await server.close();
      await sandbox.stop();
    }
  });

  it('given a prototype property as the vendor, then 404 too', async () => {
    expect((await receiveWebhook('constructor', signed(SAMPLE), deps)).statusCode).toBe(404);
  });

  it('given a text/plain body, then 415 before anything is verified', async () => {
    const answer = await receiveWebhook('events', { ...signed(SAMPLE), headers: { ...signed(SAMPLE).headers, 'content-type': 'text/plain' } }, deps);
    expect(answer).toEqual({ statusCode: 415, body: { error: 'Standard Webhooks sends application/json; got "text/plain"' } });
  });

  it('given a body over 256 KB, then 413', async () => {
    expect((await receiveWebhook('events', signed(Buffer.alloc(256 * 1024 + 1, 0x20)), deps)).statusCode).toBe(413);
  });

  it('given a signed body that breaks the event contract, then 400 naming the field', async () => {
    const answer = await receiveWebhook('events', signed(SAMPLE.replace('"score": 4', '"score": 11')), deps);
    expect(answer.statusCode).toBe(400);
    expect(answer.body.details).toEqual([expect.stringMatching(/^data\.score: /)]);
  });

  it('given the signing secrets cannot be read, then 503 with Retry-After: the vendor sends it again', async () => {
    deps.secrets = async () => {
      throw new Error('Secrets Manager GetSecretValue failed: HTTP 500');
    };
    const answer = await receiveWebhook('events', signed(SAMPLE), deps);
    expect(answer).toMatchObject({ statusCode: 503, headers: { 'retry-after': '30' } });
  });
});

describe('AccountUpdated at the door: what would freeze or erase an account is refused, naming the field', () => {
  // "The future" is relative to the ingest's clock (deps.now, a fixed instant), never to today; the
  // signature is checked by the standardwebhooks library on the machine's clock, so it is signed on it.
  const NOW = new Date('2026-11-20T07:00:00Z');
  const ACCOUNT_UPDATED = JSON.parse(readFileSync(new URL('../../functions/contracts/samples/AccountUpdated.json', import.meta.url), 'utf8')) as { type: string; timestamp: string; data: Record<string, unknown> };
  const accountUpdated = (data: Record<string, unknown>) => signed(JSON.stringify({ ...ACCOUNT_UPDATED, data: { ...ACCOUNT_UPDATED.data, ...data } }));
  // Signed by the stage's import sender, the one /webhooks/events sender that may publish AccountUpdated.
  const atNow = () => ({ ...deps, now: () => NOW, senders: webhookSenders({ events: { import: ['AccountUpdated'] } }) });

  it('given updatedAt in 2999, then 400 naming data.updatedAt, and nothing on the bus', async () => {
    const answer = await receiveWebhook('events', accountUpdated({ updatedAt: '2999-01-01T00:00:00Z' }), atNow());

    expect(answer.statusCode).toBe(400);
    expect(answer.body.details).toEqual([expect.stringMatching(/^data\.updatedAt: ahead of our clock by more than 5 minutes/)]);
    expect(published).toEqual([]);
  });

  it("given updatedAt four minutes ahead (a sender's clock a little fast), then it is accepted as written", async () => {
    const fourMinutesAhead = new Date(NOW.getTime() + 4 * 60_000).toISOString();
    const answer = await receiveWebhook('events', accountUpdated({ updatedAt: fourMinutesAhead }), atNow());

    expect(answer.statusCode).toBe(202);
    expect(published.map((event) => (event.data as { updatedAt?: string }).updatedAt)).toEqual([fourMinutesAhead]);
  });

  it.each([
    ['an empty team lead', { teamLeadId: '' }, /^data\.teamLeadId: empty or blank/],
    ['a blank name', { name: '  ' }, /^data\.name: empty or blank/],
    ['an MRR of 1e200', { mrr: 1e200 }, /^data\.mrr: Too big/],
    ['removeAllContacts beside contacts', { removeAllContacts: true }, /^data\.removeAllContacts: goes with contacts: \[\] only/],
  ])('given %s, then 400 naming the field', async (_case, data, detail) => {
    const answer = await receiveWebhook('events', accountUpdated(data), atNow());

    expect(answer.statusCode).toBe(400);
    expect(answer.body.details).toEqual([expect.stringMatching(detail)]);
  });

  it('given contacts: [] with removeAllContacts: true, then it is accepted: account-sync removes the contacts', async () => {
    expect((await receiveWebhook('events', accountUpdated({ contacts: [], removeAllContacts: true }), atNow())).statusCode).toBe(202);
  });
});
