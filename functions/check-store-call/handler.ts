import { lambdaHandler } from '../runtime/lambda.ts';
import { checkStoreCall } from './check-store-call.ts';

export const handler = lambdaHandler(checkStoreCall);
