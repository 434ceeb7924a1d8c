import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { checkStoreCall } from './check-store-call.ts';
import { gatherDetractorContext } from './gather-detractor-context.ts';
import { planDetractorFollowUp } from './plan-detractor-follow-up.ts';
import { recordNpsResponse } from './record-nps-response.ts';
import { suppressNpsSurveys } from './suppress-nps-surveys.ts';

/** An NPS answer and its follow-up: the band, a detractor's context and plan, a promoter's store call. Rules: ../core/nps/. */
export const handler = domainHandler('nps', {
  'record-nps-response': lambdaAction(recordNpsResponse),
  'gather-detractor-context': lambdaAction(gatherDetractorContext),
  'suppress-nps-surveys': lambdaAction(suppressNpsSurveys),
  'plan-detractor-follow-up': lambdaAction(planDetractorFollowUp),
  'check-store-call': lambdaAction(checkStoreCall),
});
