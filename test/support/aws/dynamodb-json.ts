import type { AwsJsonService } from '../../../functions/adapters/aws-json.ts';
import type { LocalDynamoDB } from '../../../sandbox/database/dynamodb.ts';

/** DynamoDB's JSON API on a local dynalite, as the ingest calls it (dynalite checks no signature). */
export function localDynamoDB(db: LocalDynamoDB): AwsJsonService {
  return {
    signingName: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    protocol: '1.0',
    region: 'eu-west-3',
    endpoint: db.endpoint,
    credentials: () => ({ accessKeyId: 'AKIALOCALDYNAMODB001', secretAccessKey: 'local-dynamodb-secret' }),
    now: () => new Date(),
  };
}
