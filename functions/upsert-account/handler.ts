import { lambdaHandler } from '../runtime/lambda.ts';
import { upsertAccount } from './upsert-account.ts';

export const handler = lambdaHandler(upsertAccount);
