import { lambdaHandler } from '../runtime/lambda.ts';
import { recordNpsResponse } from './record-nps-response.ts';

export const handler = lambdaHandler(recordNpsResponse);
