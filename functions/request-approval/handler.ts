import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { requestApproval } from './request-approval.ts';

export const handler = lambdaHandler(requestApproval, undefined, { callbacks: stepFunctionsCallbacks });
