import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { prepareEmail } from './prepare-email.ts';
import { sendEmail } from './send-email.ts';

/** The playbooks' e-mails: whether one goes out and its text, then its sending, once. Rules: ../core/emails/. */
export const handler = domainHandler('emails', {
  'prepare-email': lambdaAction(prepareEmail),
  'send-email': lambdaAction(sendEmail),
});
