import { lambdaHandler } from '../runtime/lambda.ts';
import { openRisk } from './open-risk.ts';

export const handler = lambdaHandler(openRisk);
