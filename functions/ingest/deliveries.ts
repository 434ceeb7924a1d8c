import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { TABLE_SCHEMA } from '../adapters/table.ts';
import type { DomainEventMessage } from '../contracts/index.ts';
import { DELIVERY_MEMORY_SECONDS } from './delivery-memory.ts';
import { DeliveryInProgress } from './receive-webhook.ts';

/** The partition of the ledger's table where deliveries are remembered: the ingest may touch nothing else. */
export const DELIVERIES_PARTITION = 'WEBHOOK_DELIVERY';
/** How long a delivery is remembered (./delivery-memory.ts). */
export { DELIVERY_MEMORY_SECONDS };

export interface DeliveriesConfig {
  /** The table's client (the sandbox and the tests point theirs at dynalite). */
  dynamodb: DynamoDBClient;
  tableName: string;
  /** Puts the events on the bus; resolves once every one is there. */
  publish(events: readonly DomainEventMessage[]): Promise<void>;
  /**
   * How long the current request may still run (Lambda's `getRemainingTimeInMillis`): a delivery whose
   * Lambda died mid-publish is "in progress" only that long, then its redelivery publishes.
   */
  remainingTimeMs(): number;
}

/**
 * `publishOnce` on Powertools' idempotency utility, its records in the ledger's table by its DynamoDB
 * persistence layer: partition `WEBHOOK_DELIVERY` (the one partition the ingest's role may touch), sort
 * key the hash of `<vendor>#<delivery id>`, expiry in the table's TTL attribute, and the status, the
 * in-progress expiry and the response under the names the table's delivery records have always had.
 * The first request of a delivery publishes and is remembered for `DELIVERY_MEMORY_SECONDS`; a
 * redelivery gets the remembered result and publishes nothing. A publish that fails leaves nothing
 * remembered (Powertools deletes the in-progress record), so the vendor's retry publishes.
 */
export function deliveries({ dynamodb, tableName, publish, remainingTimeMs }: DeliveriesConfig) {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: dynamodb,
    keyAttr: TABLE_SCHEMA.partitionKey,
    staticPkValue: DELIVERIES_PARTITION,
    sortKeyAttr: TABLE_SCHEMA.sortKey,
    expiryAttr: TABLE_SCHEMA.timeToLiveAttribute,
    statusAttr: 'status',
    inProgressExpiryAttr: 'inProgressUntil',
    dataAttr: 'response',
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'deliveryKey',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: DELIVERY_MEMORY_SECONDS,
  });
  const once = makeIdempotent(
    // `attempt` is not part of the key: a redelivery gets the first attempt's result back, whose
    // `attempt` is not its own, and that is how the answer can say "already accepted".
    async (delivery: { deliveryKey: string; attempt: string; events: readonly DomainEventMessage[] }) => {
      await publish(delivery.events);
      return { published: delivery.events.map((event) => event.data.eventId), attempt: delivery.attempt };
    },
    // A fixed prefix, not Powertools' default (the Lambda's generated name): replacing the function must
    // not forget the deliveries of the last three days.
    { persistenceStore, config, keyPrefix: 'webhook-delivery' },
  );
  return {
    /** Resolves `{ redelivered: true }` when the delivery had been published before (nothing was published now). */
    async publishOnce(deliveryKey: string, events: readonly DomainEventMessage[]): Promise<{ redelivered: boolean }> {
      config.registerLambdaContext({ getRemainingTimeInMillis: remainingTimeMs } as Context);
      const attempt = randomUUID();
      try {
        const result = (await once({ deliveryKey, attempt, events })) as { attempt?: string };
        return { redelivered: result.attempt !== attempt };
      } catch (error) {
        if (error instanceof IdempotencyAlreadyInProgressError) throw new DeliveryInProgress(error.message);
        throw error;
      }
    },
  };
}
