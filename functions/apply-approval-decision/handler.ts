import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { applyApprovalDecision } from './apply-approval-decision.ts';

export const handler = lambdaHandler(applyApprovalDecision, undefined, { callbacks: stepFunctionsCallbacks });
