import { lambdaHandler } from '../runtime/lambda.ts';
import { findOpenRisk } from './find-open-risk.ts';

export const handler = lambdaHandler(findOpenRisk);
