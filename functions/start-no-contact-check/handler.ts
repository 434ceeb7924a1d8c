import { lambdaHandler } from '../runtime/lambda.ts';
import { startNoContactCheck } from './start-no-contact-check.ts';

export const handler = lambdaHandler(startNoContactCheck);
