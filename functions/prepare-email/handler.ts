import { lambdaHandler } from '../runtime/lambda.ts';
import { prepareEmail } from './prepare-email.ts';

export const handler = lambdaHandler(prepareEmail);
