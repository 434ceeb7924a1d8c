import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { requestApproval } from './request-approval.ts';

export const handler = lambdaHandler(requestApproval, { callbacks: (now) => stepFunctionsFromEnvironment(process.env, now) });
