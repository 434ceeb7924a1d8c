import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { planWelcomeBack } from './plan-welcome-back.ts';
import { releaseUsageCheck } from './release-usage-check.ts';
import { reviewUsageCheck } from './review-usage.ts';
import { startUsageCheck } from './start-usage-check.ts';

/**
 * The account's usage check (docs/playbooks.md, usage): claimed once per account when the account is
 * used with no check live, reviewed at each wake-up, released on failure. Rules: ../core/usage/usage-check.ts.
 */
export const handler = domainHandler('usage-check', {
  'start-usage-check': lambdaAction(startUsageCheck),
  'review-usage': lambdaAction(reviewUsageCheck),
  'plan-welcome-back': lambdaAction(planWelcomeBack),
  'release-usage-check': lambdaAction(releaseUsageCheck),
});
