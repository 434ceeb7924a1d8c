import { lambdaHandler } from '../runtime/lambda.ts';
import { planApproval } from './plan-approval.ts';

export const handler = lambdaHandler(planApproval);
