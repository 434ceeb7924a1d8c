import { DescribeTableCommand, DynamoDBServiceException, GetItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsError, type AwsAnswer } from './aws-json.ts';

/**
 * The ledger's reads, served by the sandbox in DynamoDB's protocol (target prefix `DynamoDB_20120810.`):
 * what the ops CLI's `executions --account` queries, an account's timeline, through the same
 * `@aws-sdk/client-dynamodb` code as on AWS. Each request is made again with the sandbox's own client
 * to its local DynamoDB (the low-level client's input and output are the protocol's JSON). Reads only,
 * as the ops policy on AWS: a write is refused as IAM refuses it.
 */
export const DYNAMODB_TARGET = 'DynamoDB_20120810.';

export async function dynamoDbRequest(client: DynamoDBClient, operation: string, body: Record<string, unknown>): Promise<AwsAnswer> {
  try {
    switch (operation) {
      case 'Query':
        return answer(await client.send(new QueryCommand(body as never)));
      case 'GetItem':
        return answer(await client.send(new GetItemCommand(body as never)));
      case 'DescribeTable':
        return answer(await client.send(new DescribeTableCommand(body as never)));
      default:
        return awsError(400, 'AccessDeniedException', `The sandbox's ledger is read-only here, as for the ops policy: dynamodb:${operation} is not allowed`);
    }
  } catch (error) {
    if (error instanceof DynamoDBServiceException) return awsError(error.$metadata.httpStatusCode ?? 400, `com.amazonaws.dynamodb.v20120810#${error.name}`, error.message);
    throw error;
  }
}

function answer({ $metadata: _metadata, ...output }: { $metadata: unknown }): AwsAnswer {
  return { status: 200, body: output };
}
