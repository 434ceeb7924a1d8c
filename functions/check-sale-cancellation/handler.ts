import { lambdaHandler } from '../runtime/lambda.ts';
import { checkSaleCancellation } from './check-sale-cancellation.ts';

export const handler = lambdaHandler(checkSaleCancellation);
