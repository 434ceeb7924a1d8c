import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { AccountRecord, parseContract, type AccountPatch, type RiskKind } from '../contracts/index.ts';
import type { Task } from '../core/tasks/task.ts';
import { keys } from './table.ts';

export interface NpsResponseRecord {
  eventId: string;
  accountId: string;
  contactId: string;
  score: number;
  band: string;
  respondedAt: string;
  comment?: string | undefined;
}

export interface RiskRecord {
  id: string;
  kind: RiskKind;
  accountId: string;
  status: 'open';
  origin: string;
  reason?: string | undefined;
  openedAt: string;
}

/** What a conditional write did: `created` false means an earlier delivery already wrote it. */
export interface Written<T> {
  created: boolean;
  item: T;
}

type Entity = 'account' | 'nps-response' | 'risk' | 'task';

/**
 * The DynamoDB ledger: the system of record, always written before any outside effect.
 * Every write is a single-item conditional operation, which is what makes redeliveries and Lambda
 * retries harmless (and needs no transactions).
 */
export class Ledger {
  private readonly db: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async getAccount(accountId: string): Promise<AccountRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.account(accountId), ConsistentRead: true }));
    return Item ? parseContract(AccountRecord, Item.account, `stored account ${accountId}`) : undefined;
  }

  /**
   * Apply a CRM update. A new account needs a complete record; an existing one takes the patch.
   * Optimistic concurrency on `version`: a concurrent update makes this throw, and the state
   * machine's Retry re-reads and re-applies.
   */
  async upsertAccount(accountId: string, patch: AccountPatch, updatedAt: string): Promise<AccountRecord> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.account(accountId), ConsistentRead: true }));
    const version = typeof Item?.version === 'number' ? Item.version : 0;
    const account = parseContract(AccountRecord, { ...(Item?.account ?? {}), ...patch, id: accountId }, `account ${accountId}`);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.account(accountId), entity: 'account' satisfies Entity, account, version: version + 1, updatedAt },
        ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ExpressionAttributeValues: version === 0 ? undefined : { ':version': version },
      }),
    );
    return account;
  }

  /** Dedup on the vendor's eventId: the second delivery of an answer finds it recorded. */
  recordNpsResponse(response: NpsResponseRecord): Promise<Written<NpsResponseRecord>> {
    return this.putOnce(keys.npsResponse(response.accountId, response.eventId), 'nps-response', response);
  }

  /** One open risk per account and kind: the key itself is the constraint. */
  openRisk(risk: RiskRecord): Promise<Written<RiskRecord>> {
    return this.putOnce(keys.openRisk(risk.accountId, risk.kind), 'risk', risk);
  }

  createTask(task: Task): Promise<Written<Task>> {
    return this.putOnce(keys.task(task.accountId, task.id), 'task', task);
  }

  /** Every item of an entity type. A full scan: for the sandbox report, never on a hot path. */
  async scan<T>(entity: Entity): Promise<T[]> {
    const items: T[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'entity = :entity',
          ExpressionAttributeValues: { ':entity': entity },
          ExclusiveStartKey,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) items.push(stripKeys(item) as T);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  private async putOnce<T extends object>(key: { pk: string; sk: string }, entity: Entity, item: T): Promise<Written<T>> {
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

  private async read<T>(key: { pk: string; sk: string }): Promise<T> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (!Item) throw new Error(`Item ${key.pk} ${key.sk} vanished after a conditional check`);
    return stripKeys(Item) as T;
  }
}

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity: _entity, version: _version, ...rest } = item;
  return rest;
}
