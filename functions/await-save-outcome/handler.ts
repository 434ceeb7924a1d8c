import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { awaitSaveOutcome } from './await-save-outcome.ts';

export const handler = lambdaHandler(awaitSaveOutcome, undefined, { callbacks: stepFunctionsCallbacks });
