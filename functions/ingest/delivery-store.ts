import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { AwsServiceError, callAwsJson, type AwsJsonService } from '../adapters/aws-json.ts';
import { TABLE_SCHEMA } from '../adapters/table.ts';

/** The partition of the ledger's table where deliveries are remembered: the ingest may touch nothing else. */
export const DELIVERIES_PARTITION = 'WEBHOOK_DELIVERY';

type AttributeValue = { S: string } | { N: string };
type Item = Record<string, AttributeValue>;

/**
 * Powertools idempotency's persistence layer (its documented extension point, `BasePersistenceLayer`)
 * on the ledger's table, through DynamoDB's JSON API with `fetch` and SigV4 (../adapters/aws-json.ts).
 * Why not Powertools' own `DynamoDBPersistenceLayer`: it needs @aws-sdk/client-dynamodb, whose
 * protocol stack puts the ingest bundle 40 KB over its bundle budget; the four item operations it
 * makes are the same here, with the same conditions:
 * - put: only if no record exists, or it expired (`expiresAt` < now, in seconds), or it is in
 *   progress past its in-progress expiry (ms) — a Lambda that died mid-delivery; a refusal returns the
 *   existing record (`ReturnValuesOnConditionCheckFailure: ALL_OLD`) as IdempotencyItemAlreadyExistsError;
 * - get (consistent), update (status, expiry, response), delete (a failed delivery is forgotten).
 * Items: `pk` WEBHOOK_DELIVERY, `sk` the hashed key, `status`, `expiresAt` (the table's TTL),
 * `inProgressUntil`, `response` (JSON text). Payload validation (`payloadValidationJmesPath`) is not
 * stored: a delivery id names one delivery, so it is not used.
 */
export class DeliveryStore extends BasePersistenceLayer {
  constructor(
    private readonly dynamodb: AwsJsonService,
    private readonly tableName: string,
  ) {
    super();
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const { Item } = await callAwsJson<{ Item?: Item }>(this.dynamodb, 'GetItem', { TableName: this.tableName, Key: this.key(idempotencyKey), ConsistentRead: true });
    if (!Item) throw new IdempotencyItemNotFoundError();
    return recordOf(idempotencyKey, Item);
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const now = Date.now();
    const item: Item = { ...this.key(record.idempotencyKey), status: { S: record.getStatus() }, [TABLE_SCHEMA.timeToLiveAttribute]: { N: String(expiryOf(record)) } };
    if (record.inProgressExpiryTimestamp !== undefined) item.inProgressUntil = { N: String(record.inProgressExpiryTimestamp) };
    try {
      await callAwsJson(this.dynamodb, 'PutItem', {
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#until) AND #until < :nowMs)',
        ExpressionAttributeNames: { '#pk': TABLE_SCHEMA.partitionKey, '#expiry': TABLE_SCHEMA.timeToLiveAttribute, '#status': 'status', '#until': 'inProgressUntil' },
        ExpressionAttributeValues: { ':now': { N: String(now / 1000) }, ':nowMs': { N: String(now) }, ':inprogress': { S: IdempotencyRecordStatus.INPROGRESS } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    } catch (error) {
      if (error instanceof AwsServiceError && error.code === 'ConditionalCheckFailedException') {
        const old = error.body.Item as Item | undefined;
        throw new IdempotencyItemAlreadyExistsError(`A delivery with this key is on record: ${record.idempotencyKey}`, old ? recordOf(record.idempotencyKey, old) : undefined);
      }
      throw error;
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    await callAwsJson(this.dynamodb, 'UpdateItem', {
      TableName: this.tableName,
      Key: this.key(record.idempotencyKey),
      UpdateExpression: 'SET #status = :status, #expiry = :expiry, #response = :response',
      ExpressionAttributeNames: { '#status': 'status', '#expiry': TABLE_SCHEMA.timeToLiveAttribute, '#response': 'response' },
      ExpressionAttributeValues: {
        ':status': { S: record.getStatus() },
        ':expiry': { N: String(expiryOf(record)) },
        ':response': { S: JSON.stringify(record.responseData ?? null) },
      },
    });
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await callAwsJson(this.dynamodb, 'DeleteItem', { TableName: this.tableName, Key: this.key(record.idempotencyKey) });
  }

  private key(idempotencyKey: string): Item {
    return { [TABLE_SCHEMA.partitionKey]: { S: DELIVERIES_PARTITION }, [TABLE_SCHEMA.sortKey]: { S: idempotencyKey } };
  }
}

/** Every record expires (the table's TTL): one without an expiry would be remembered forever, or, at 0, not at all. */
function expiryOf(record: IdempotencyRecord): number {
  if (record.expiryTimestamp === undefined) throw new Error('A delivery record without an expiry: the idempotency configuration must set expiresAfterSeconds');
  return record.expiryTimestamp;
}

function recordOf(idempotencyKey: string, item: Item): IdempotencyRecord {
  const text = (name: string) => (item[name] && 'S' in item[name]! ? item[name]!.S : undefined);
  const number = (name: string) => (item[name] && 'N' in item[name]! ? Number(item[name]!.N) : undefined);
  const response = text('response');
  return new IdempotencyRecord({
    idempotencyKey,
    status: text('status') as ReturnType<IdempotencyRecord['getStatus']>,
    expiryTimestamp: number(TABLE_SCHEMA.timeToLiveAttribute),
    inProgressExpiryTimestamp: number('inProgressUntil'),
    responseData: response === undefined ? undefined : JSON.parse(response),
  });
}
