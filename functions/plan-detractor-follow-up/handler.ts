import { lambdaHandler } from '../runtime/lambda.ts';
import { planDetractorFollowUp } from './plan-detractor-follow-up.ts';

export const handler = lambdaHandler(planDetractorFollowUp);
