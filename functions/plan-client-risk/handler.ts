import { lambdaHandler } from '../runtime/lambda.ts';
import { planClientRisk } from './plan-client-risk.ts';

export const handler = lambdaHandler(planClientRisk);
