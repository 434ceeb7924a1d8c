import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { requestApproval } from './request-approval.ts';

export const handler = lambdaHandler(requestApproval, undefined, { callbacks: (now) => stepFunctionsFromEnvironment(process.env, now) });
