import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { recheckRenewal } from './recheck-renewal.ts';
import { releaseRenewalCheck } from './release-renewal-check.ts';
import { startRenewalCheck } from './start-renewal-check.ts';

/**
 * Renewal anticipation: one check per account and renewal date, claimed from the CRM's updates, rechecked
 * on the branch's day and each reminder's, ended by the renewal recorded. Rules: ../core/renewal/.
 */
export const handler = domainHandler('renewal', {
  'start-renewal-check': lambdaAction(startRenewalCheck),
  'recheck-renewal': lambdaAction(recheckRenewal),
  'release-renewal-check': lambdaAction(releaseRenewalCheck),
});
