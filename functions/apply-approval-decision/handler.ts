import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { applyApprovalDecision } from './apply-approval-decision.ts';

export const handler = lambdaHandler(applyApprovalDecision, undefined, { callbacks: (now) => stepFunctionsFromEnvironment(process.env, now) });
