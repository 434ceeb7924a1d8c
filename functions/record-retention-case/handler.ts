import { lambdaHandler } from '../runtime/lambda.ts';
import { recordRetentionCase } from './record-retention-case.ts';

export const handler = lambdaHandler(recordRetentionCase);
