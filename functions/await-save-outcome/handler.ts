import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { awaitSaveOutcome } from './await-save-outcome.ts';

export const handler = lambdaHandler(awaitSaveOutcome, undefined, { callbacks: (now) => stepFunctionsFromEnvironment(process.env, now) });
