import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { deliveries, DELIVERIES_PARTITION, DELIVERY_MEMORY_SECONDS } from '../../functions/ingest/deliveries.ts';
import { DeliveryInProgress } from '../../functions/ingest/receive-webhook.ts';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sandbox/database/dynamodb.ts';

// A delivery is published once (functions/ingest/deliveries.ts): Powertools idempotency with its
// DynamoDB persistence layer on the ledger's table, on a real DynamoDB API (dynalite).

let db: LocalDynamoDB;
beforeAll(async () => {
  db = await startLocalDynamoDB('cs-playbooks-deliveries-test');
});
afterAll(() => db?.close());

const event = (eventId: string): DomainEventMessage =>
  ({ type: 'TaskCompleted', timestamp: '2026-11-22T10:00:00Z', data: { eventId, accountId: 'acc-1', taskId: 'tsk-1', at: '2026-11-22T10:00:00Z' } }) as DomainEventMessage;

/** A publisher that records what reached the bus, and can be held or made to fail. */
function bus({ remainingTimeMs = (): number => 10_000 } = {}) {
  const published: string[] = [];
  let hold: Promise<void> | undefined;
  let failures = 0;
  const { publishOnce } = deliveries({
    dynamodb: db.client,
    tableName: db.tableName,
    remainingTimeMs,
    publish: async (events) => {
      if (hold) await hold;
      if (failures > 0) {
        failures--;
        throw new Error('PutEvents refused the entries');
      }
      published.push(...events.map((e) => e.data.eventId));
    },
  });
  return {
    publishOnce,
    published,
    failNext: () => void (failures = 1),
    holdUntil: (released: Promise<void>) => void (hold = released),
  };
}

/** The delivery records of the table, as stored. */
async function records() {
  const { Items = [] } = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': TABLE_SCHEMA.partitionKey },
      ExpressionAttributeValues: { ':pk': { S: DELIVERIES_PARTITION } },
      ConsistentRead: true,
    }),
  );
  return Items;
}

describe('a delivery, published once', () => {
  it('given a delivery published, when it comes again, then nothing more is published, and the record expires after three days', async () => {
    const { publishOnce, published } = bus();
    const before = Math.floor(Date.now() / 1000);

    await publishOnce('events#once', [event('evt-once')]);
    await publishOnce('events#once', [event('evt-once')]);

    expect(published).toEqual(['evt-once']);
    const record = (await records()).find((item) => item.status?.S === 'COMPLETED' && JSON.stringify(item.response).includes('evt-once'));
    // The key is Powertools' (its prefix and the hash of `<vendor>#<delivery id>`) in the deliveries' partition; the expiry is the table's TTL.
    expect(record?.[TABLE_SCHEMA.sortKey]?.S).toBe(`webhook-delivery#${createHash('md5').update(JSON.stringify('events#once')).digest('base64')}`);
    expect(Number(record?.[TABLE_SCHEMA.timeToLiveAttribute]?.N)).toBeGreaterThanOrEqual(before + DELIVERY_MEMORY_SECONDS);
    expect(DELIVERY_MEMORY_SECONDS).toBeGreaterThanOrEqual(3 * 86_400);
  });

  it('given the publish failed, when the vendor sends the delivery again, then it is published: a failure is not remembered', async () => {
    const { publishOnce, published, failNext } = bus();
    failNext();

    await expect(publishOnce('events#failed', [event('evt-failed')])).rejects.toThrow('PutEvents refused the entries');
    await publishOnce('events#failed', [event('evt-failed')]);

    expect(published).toEqual(['evt-failed']);
  });

  it('given a delivery being published, when the same delivery arrives meanwhile, then DeliveryInProgress (the pipeline answers 503 Retry-After), and one publish', async () => {
    const { publishOnce, published, holdUntil } = bus();
    let release!: () => void;
    holdUntil(new Promise<void>((resolve) => (release = resolve)));

    const first = publishOnce('events#concurrent', [event('evt-concurrent')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(publishOnce('events#concurrent', [event('evt-concurrent')])).rejects.toBeInstanceOf(DeliveryInProgress);
    release();
    await first;

    expect(published).toEqual(['evt-concurrent']);
  });

  it('given the Lambda died while publishing (its record left in progress, its time run out), when the vendor sends the delivery again, then it is published', async () => {
    // A Lambda with 1 ms left: its in-progress record stops counting at once, as when its time ran out.
    const dying = bus({ remainingTimeMs: () => 1 });
    dying.holdUntil(new Promise<void>(() => undefined));
    void dying.publishOnce('events#died', [event('evt-died')]);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const next = bus();
    await next.publishOnce('events#died', [event('evt-died')]);

    expect(dying.published).toEqual([]);
    expect(next.published).toEqual(['evt-died']);
  });
});
