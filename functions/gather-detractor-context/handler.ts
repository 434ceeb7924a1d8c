import { lambdaHandler } from '../runtime/lambda.ts';
import { gatherDetractorContext } from './gather-detractor-context.ts';

export const handler = lambdaHandler(gatherDetractorContext);
