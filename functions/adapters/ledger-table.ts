import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient, GetCommand, paginateQuery, paginateScan, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Entity, Written } from './ledger-records.ts';
import { partitionOf, TABLE_SCHEMA, type AccountItemType, type ItemKey } from './table.ts';

/**
 * The table operations every ledger method is built from: strongly consistent reads, the once-only
 * conditional put, queries within one account, and the report's scan. The Ledger (ledger.ts) adds
 * what each item means.
 */
export abstract class LedgerTable {
  protected readonly db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    protected readonly tableName: string,
  ) {
    this.db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** One item as stored (keys, version and all), read strongly consistent; undefined when absent. */
  protected async getItem(key: ItemKey): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  /** Items of one account and type whose sort key lies in [from, to], in key order, every page. */
  protected query<T>(type: AccountItemType, accountId: string, range: { from: string; to: string }): Promise<T[]> {
    return collect<T>(
      paginateQuery(
        { client: this.db },
        {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': partitionOf(type, accountId), ':from': range.from, ':to': range.to },
          ConsistentRead: true,
        },
      ),
    );
  }

  /**
   * Keys from the dispatch index (TABLE_SCHEMA.dispatchIndex, keys only) whose queue is `queue` and
   * whose due time is at most `until`, earliest first, at most `limit`. A secondary index is read
   * eventually consistent: callers read each item again before acting on it.
   */
  async dispatchKeys(queue: string, until: string, limit: number): Promise<ItemKey[]> {
    return (await this.queryDispatchIndex(queue, until, limit)).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
  }

  /** The earliest due time in the dispatch index's `queue`, if any. */
  async earliestDispatch(queue: string): Promise<string | undefined> {
    const [first] = await this.queryDispatchIndex(queue, undefined, 1);
    const due = first?.[TABLE_SCHEMA.dispatchIndex.sortKey];
    return typeof due === 'string' ? due : undefined;
  }

  private async queryDispatchIndex(queue: string, until: string | undefined, limit: number): Promise<Record<string, unknown>[]> {
    const index = TABLE_SCHEMA.dispatchIndex;
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: until === undefined ? '#queue = :queue' : '#queue = :queue AND #due <= :until',
        ExpressionAttributeNames: { '#queue': index.partitionKey, ...(until === undefined ? {} : { '#due': index.sortKey }) },
        ExpressionAttributeValues: { ':queue': queue, ...(until === undefined ? {} : { ':until': until }) },
        Limit: limit,
      }),
    );
    return Items ?? [];
  }

  /** Every item of an entity type. A full scan: for the sandbox report, never on a hot path. */
  scan<T>(entity: Entity): Promise<T[]> {
    return collect<T>(
      paginateScan(
        { client: this.db },
        { TableName: this.tableName, FilterExpression: 'entity = :entity', ExpressionAttributeValues: { ':entity': entity }, ConsistentRead: true },
      ),
    );
  }

  /**
   * One UpdateItem on `key` (a conditional one when `condition` is given), returning the item as it is
   * after the update, without its keys: how two writers meet on one item without reading first.
   */
  async updateItem(
    key: ItemKey,
    update: { expression: string; condition?: string; names?: Record<string, string>; values?: Record<string, unknown> },
  ): Promise<Record<string, unknown>> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: update.expression,
        ConditionExpression: update.condition,
        ExpressionAttributeNames: update.names,
        ExpressionAttributeValues: update.values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys(Attributes ?? {});
  }

  /** An item as stored, without its keys; undefined when absent. */
  async readItem<T>(key: ItemKey): Promise<T | undefined> {
    const Item = await this.getItem(key);
    return Item ? (stripKeys(Item) as T) : undefined;
  }

  /** One attribute of an item, and the version its next write is conditioned on (0: not stored). */
  async readVersioned<T>(key: ItemKey, attribute: string): Promise<{ value: T | undefined; version: number }> {
    const Item = await this.getItem(key);
    return { value: Item?.[attribute] as T | undefined, version: typeof Item?.version === 'number' ? Item.version : 0 };
  }

  /**
   * Put the item if nobody wrote it since `readVersion` was read (0: only if it does not exist yet):
   * optimistic concurrency on one item. A concurrent write makes this throw
   * ConditionalCheckFailedException; the caller reads and decides again.
   */
  async writeVersioned(key: ItemKey, entity: Entity, attribute: string, value: unknown, readVersion: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key, entity, [attribute]: value, version: readVersion + 1 },
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ExpressionAttributeValues: readVersion === 0 ? undefined : { ':version': readVersion },
      }),
    );
  }

  async putOnce<T extends object>(key: { pk: string; sk: string }, entity: Entity, item: T): Promise<Written<T>> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity, ...item },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true, item };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The earlier write wins: callers return what is recorded, not what they would have written.
      const existing = error.Item ? (stripKeys(unmarshall(error.Item)) as T) : await this.read<T>(key);
      return { created: false, item: existing };
    }
  }

  protected async read<T>(key: { pk: string; sk: string }): Promise<T> {
    const Item = await this.getItem(key);
    if (!Item) throw new Error(`Item ${key.pk} ${key.sk} vanished after a conditional check`);
    return stripKeys(Item) as T;
  }
}

/** Every item of every page, without the table's keys. */
export async function collect<T>(pages: AsyncIterable<{ Items?: Record<string, unknown>[] | undefined }>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) for (const item of page.Items ?? []) items.push(stripKeys(item) as T);
  return items;
}

export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity: _entity, version: _version, fieldTimes: _fieldTimes, ...rest } = item;
  return rest;
}
