import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { awaitFirstReply } from './await-first-reply.ts';

export const handler = lambdaHandler(awaitFirstReply, undefined, { callbacks: stepFunctionsCallbacks });
