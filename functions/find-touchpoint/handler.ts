import { lambdaHandler } from '../runtime/lambda.ts';
import { findTouchpoint } from './find-touchpoint.ts';

export const handler = lambdaHandler(findTouchpoint);
