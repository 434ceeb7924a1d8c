import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { applyApprovalDecision } from './apply-approval-decision.ts';
import { offerApproval } from './offer-approval.ts';
import { planApproval } from './plan-approval.ts';
import { requestApproval } from './request-approval.ts';

const resumesExecutions = { callbacks: () => stepFunctionsCallbacks };

/**
 * A CSM's approval of an e-mail: its window, its Slack message, the parked execution, and the decision
 * taken in Slack. Rules: ../core/approvals/.
 */
export const handler = domainHandler('approvals', {
  'plan-approval': lambdaAction(planApproval),
  'offer-approval': lambdaAction(offerApproval),
  'request-approval': lambdaAction(requestApproval, undefined, resumesExecutions),
  'apply-approval-decision': lambdaAction(applyApprovalDecision, undefined, resumesExecutions),
});
