import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { deliveries } from '../../functions/ingest/deliveries.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';

// A sender that sends the same message again on purpose (`playbooks import` re-run on the same file)
// learns from the 202 that nothing new was published: `redelivered: true`, added to the answer's
// contract (the first answer is unchanged). Powertools idempotency on a real DynamoDB API (dynalite).

const SECRET = `whsec_${Buffer.from('redelivered answer test key, 32b').toString('base64')}`;
const BODY = JSON.stringify({ type: 'BillingStarted', timestamp: '2026-11-22T10:00:00Z', data: { eventId: 'evt-billing-1', accountId: 'acc-1', at: '2026-11-22T10:00:00Z' } });

let db: LocalDynamoDB;
let deps: IngestDeps;
const published: DomainEventMessage[] = [];

beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-redelivered-test');
  const { publishOnce } = deliveries({ dynamodb: db.client, tableName: db.tableName, publish: async (events) => void published.push(...events), remainingTimeMs: () => 10_000 });
  deps = { now: () => new Date(), secrets: async () => [SECRET], publishOnce };
});
afterAll(() => db?.close());

function signed(id: string) {
  const at = new Date();
  return {
    method: 'POST',
    url: 'https://abc123.execute-api.eu-west-3.amazonaws.com/webhooks/events',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign(id, at, BODY) },
    rawBody: Buffer.from(BODY),
  };
}

describe('given a message accepted once', () => {
  it('when the same message (same webhook-id) comes again, then 202 with redelivered: true and nothing new on the bus; the first answer says nothing of it', async () => {
    const first = await receiveWebhook('events', signed('msg_import_1'), deps);
    const again = await receiveWebhook('events', signed('msg_import_1'), deps);

    expect(first.body).not.toHaveProperty('redelivered');
    expect(again).toEqual({ statusCode: 202, body: { ...first.body, redelivered: true } });
    expect(published).toHaveLength(1);
  });

  it('when another message carries the same event under a new webhook-id, then it is news to the endpoint (idempotency is per delivery)', async () => {
    const answer = await receiveWebhook('events', signed('msg_import_2'), deps);
    expect(answer.body).not.toHaveProperty('redelivered');
  });
});
