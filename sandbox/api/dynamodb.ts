import { DynamoDBServiceException, GetItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemTypeOf, TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import { partitionOfRequest, type KeyedRequest } from '../../lib/table-grants.ts';
import { awsError, type AwsAnswer } from './aws-json.ts';

/**
 * The accounts' timelines, served by the sandbox in DynamoDB's protocol (target prefix
 * `DynamoDB_20120810.`): what the ops CLI's `executions --account` queries, through the same
 * `@aws-sdk/client-dynamodb` code as on AWS. Each request is made again with the sandbox's own client
 * to its local DynamoDB (the low-level client's input and output are the protocol's JSON). What the ops
 * policy allows on AWS and nothing more: reads of `EXECUTION#` partitions; anything else is refused as
 * IAM refuses it, so that the CLI cannot come to need more in the sandbox than on a stage.
 */
export const DYNAMODB_TARGET = 'DynamoDB_20120810.';

export async function dynamoDbRequest(client: DynamoDBClient, operation: string, body: Record<string, unknown>): Promise<AwsAnswer> {
  const partition = partitionOfRequest(body as KeyedRequest, TABLE_SCHEMA.partitionKey);
  const readable = (operation === 'Query' || operation === 'GetItem') && partition !== undefined && itemTypeOf(partition) === 'EXECUTION';
  if (!readable) return awsError(400, 'AccessDeniedException', `The ops policy allows dynamodb:Query and GetItem on the accounts' timelines (EXECUTION#…) only: not dynamodb:${operation} on ${partition ?? 'this table'}`);
  try {
    const output = operation === 'Query' ? await client.send(new QueryCommand(body as never)) : await client.send(new GetItemCommand(body as never));
    const { $metadata: _metadata, ...answer } = output;
    return { status: 200, body: answer };
  } catch (error) {
    if (error instanceof DynamoDBServiceException) return awsError(error.$metadata.httpStatusCode ?? 400, `com.amazonaws.dynamodb.v20120810#${error.name}`, error.message);
    throw error;
  }
}
