import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Held } from '../core/checks/held-check.ts';
import type { Entity } from './ledger-records.ts';
import type { ItemKey } from './table.ts';

/** A held check as stored, with the version its next write is conditioned on (0: not stored). */
export interface StoredCheck<C extends Held> {
  check: C | undefined;
  version: number;
}

/**
 * One kind of held check in the ledger (core/checks/held-check.ts): one item per account, by key,
 * versioned. The no-contact check and the usage check are two instances.
 */
export class HeldChecks<C extends Held> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly keyOf: (accountId: string) => ItemKey,
    private readonly entity: Entity,
  ) {}

  /** `consistent` false: half the read's cost, for a caller to whom a check a moment old says enough (the usage recorder). */
  async get(accountId: string, consistent = true): Promise<StoredCheck<C>> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: this.keyOf(accountId), ConsistentRead: consistent }));
    return { check: Item?.check as C | undefined, version: typeof Item?.version === 'number' ? Item.version : 0 };
  }

  /**
   * Write the check if nobody wrote it since `readVersion` was read: the first claim of an account's
   * check is a put that only succeeds where none exists, so two starts at once leave one holder. A
   * concurrent write makes this throw ConditionalCheckFailedException; the playbook's Retry reads and
   * decides again.
   */
  async write(check: C, readVersion: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...this.keyOf(check.accountId), entity: this.entity, check, version: readVersion + 1 },
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ExpressionAttributeValues: readVersion === 0 ? undefined : { ':version': readVersion },
      }),
    );
  }
}
