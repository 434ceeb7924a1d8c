import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../functions/adapters/table.ts';

export interface PlaybookTableProps {
  readonly retainData: boolean;
}

/**
 * The single table, keyed as functions/adapters/table.ts says (the sandbox creates the same keys).
 *
 * Encryption: the AWS managed key (aws/dynamodb). The data is customer PII (names, e-mail addresses),
 * so it is encrypted at rest with a KMS key whose every use is in CloudTrail; a customer managed key
 * would add a key policy to maintain and a monthly cost, and, on a retained table, the risk that a
 * scheduled key deletion makes the data unreadable, for no consumer that needs it: no other account
 * reads this table and nothing exports it.
 */
export class PlaybookTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: PlaybookTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // Keys only: what triggers the dispatch drain (DispatchDrain), with no customer data in the stream.
      stream: dynamodb.StreamViewType.KEYS_ONLY,
    });
    // The dispatches due and dead, by due time (functions/adapters/table.ts): sparse, keys only.
    const index = TABLE_SCHEMA.dispatchIndex;
    this.table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }
}
