import { lambdaHandler } from '../runtime/lambda.ts';
import { recordTouchpoint } from './record-touchpoint.ts';

export const handler = lambdaHandler(recordTouchpoint);
