import { lambdaHandler } from '../runtime/lambda.ts';
import { planSaveWait } from './plan-save-wait.ts';

export const handler = lambdaHandler(planSaveWait);
