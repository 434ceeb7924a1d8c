import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { paginateQuery, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TimelineExecution } from '../core/executions/timeline.ts';
import type { Entity } from './ledger-records.ts';
import { collect, stripKeys } from './ledger-table.ts';
import { keys, partitionOf } from './table.ts';

/**
 * How long an execution stays on its account's timeline after it started: a year of "what happened to
 * this account", longer than Step Functions keeps a closed execution's history (90 days), after which
 * the timeline still says what ran, when and how it ended.
 */
export const TIMELINE_KEPT_DAYS = 400;

/**
 * The executions of each account (`EXECUTION#<accountId>`), written from Step Functions' status changes
 * (functions/executions) and read by the ops CLI and the console. One item per execution, rewritten by
 * each newer status change of it: an older one, delivered late, is ignored.
 */
export class ExecutionTimeline {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records a status change; `stale` when the timeline already holds a newer one of that execution. */
  async record(execution: TimelineExecution): Promise<'recorded' | 'stale'> {
    const expiresAt = Math.floor(Date.parse(execution.startedAt) / 1000) + TIMELINE_KEPT_DAYS * 86_400;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.execution(execution.accountId, execution.startedAt, execution.executionArn), entity: 'execution' satisfies Entity, ...execution, expiresAt },
          ConditionExpression: 'attribute_not_exists(#order) OR #order < :order',
          ExpressionAttributeNames: { '#order': 'order' },
          ExpressionAttributeValues: { ':order': execution.order },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
  }

  /** An account's executions, newest first (`limit` of them, all by default). */
  async ofAccount(accountId: string, { limit }: { limit?: number } = {}): Promise<TimelineExecution[]> {
    const query = { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': partitionOf('EXECUTION', accountId) }, ScanIndexForward: false };
    const items = limit
      ? ((await this.db.send(new QueryCommand({ ...query, Limit: limit }))).Items ?? []).map((item) => stripKeys(item) as unknown as TimelineExecution & { expiresAt?: number })
      : await collect<TimelineExecution & { expiresAt?: number }>(paginateQuery({ client: this.db }, query));
    return items.map(({ expiresAt: _expiresAt, ...execution }) => execution);
  }
}
