import { mailerFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { sendEmail } from './send-email.ts';

export const handler = lambdaHandler(sendEmail, vendorPorts({ mailer: mailerFromEnvironment }));
