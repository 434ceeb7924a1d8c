import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { awaitFirstReply } from './await-first-reply.ts';

export const handler = lambdaHandler(awaitFirstReply, undefined, { callbacks: (now) => stepFunctionsFromEnvironment(process.env, now) });
