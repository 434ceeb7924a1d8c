import { lambdaHandler } from '../runtime/lambda.ts';
import { setPlanExpiry } from './set-plan-expiry.ts';

export const handler = lambdaHandler(setPlanExpiry);
