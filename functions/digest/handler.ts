import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { gatherDigests } from './gather-digests.ts';
import { planDigestsOfDay } from './plan-digests.ts';
import { sendDigests } from './send-digests.ts';

/**
 * The Monday digest: the day's digests planned from the people directory, each instant's gathered from
 * the accounts a page at a time, then sent once per person and week. Rules: ../core/digest/.
 */
export const handler = domainHandler('digest', {
  'plan-digests': lambdaAction(planDigestsOfDay),
  'gather-digests': lambdaAction(gatherDigests),
  'send-digests': lambdaAction(sendDigests),
});
