import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { recheckNoContact } from './recheck-no-contact.ts';
import { releaseNoContactCheck } from './release-no-contact-check.ts';
import { startNoContactCheck } from './start-no-contact-check.ts';

/**
 * The 91-day no-contact check: claimed once per account, rechecked after each wait, released on failure.
 * Rules: ../core/no-contact/.
 */
export const handler = domainHandler('no-contact', {
  'start-no-contact-check': lambdaAction(startNoContactCheck),
  'recheck-no-contact': lambdaAction(recheckNoContact),
  'release-no-contact-check': lambdaAction(releaseNoContactCheck),
});
