import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { recordClientReply } from './record-client-reply.ts';

export const handler = lambdaHandler(recordClientReply, undefined, { callbacks: stepFunctionsCallbacks });
