import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { findOpenRisk } from './find-open-risk.ts';
import { openRisk } from './open-risk.ts';

/**
 * Churn and downsell risks: one open per account and kind, its CRM mirror queued for the dispatch function. Rules: a risk's identity
 * and title in ../core/tasks/, whether a detractor's risk is still open in ../core/nps/exit-goals.ts.
 */
export const handler = domainHandler('risks', {
  'open-risk': lambdaAction(openRisk),
  'find-open-risk': lambdaAction(findOpenRisk),
});
