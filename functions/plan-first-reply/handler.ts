import { lambdaHandler } from '../runtime/lambda.ts';
import { planFirstReply } from './plan-first-reply.ts';

export const handler = lambdaHandler(planFirstReply);
