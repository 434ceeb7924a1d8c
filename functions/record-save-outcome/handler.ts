import { stepFunctionsFromEnvironment } from '../adapters/step-functions/task-callbacks.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { recordSaveOutcome } from './record-save-outcome.ts';

export const handler = lambdaHandler(recordSaveOutcome, undefined, { callbacks: (now) => stepFunctionsFromEnvironment(process.env, now) });
