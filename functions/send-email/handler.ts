import { lambdaHandler } from '../runtime/lambda.ts';
import { sendEmail } from './send-email.ts';

export const handler = lambdaHandler(sendEmail);
