import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { recordClientReply } from './record-client-reply.ts';

export const handler = lambdaHandler(recordClientReply, undefined, { callbacks: (now) => stepFunctionsFromEnvironment(process.env, now) });
