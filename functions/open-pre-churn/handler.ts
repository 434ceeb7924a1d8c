import { lambdaHandler } from '../runtime/lambda.ts';
import { openPreChurn } from './open-pre-churn.ts';

export const handler = lambdaHandler(openPreChurn);
