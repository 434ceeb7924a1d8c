import { lambdaHandler } from '../runtime/lambda.ts';
import { acknowledgeAlert } from './acknowledge-alert.ts';

export const handler = lambdaHandler(acknowledgeAlert);
