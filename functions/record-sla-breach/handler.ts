import { lambdaHandler } from '../runtime/lambda.ts';
import { recordSlaBreach } from './record-sla-breach.ts';

export const handler = lambdaHandler(recordSlaBreach);
