import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { recordSaveOutcome } from './record-save-outcome.ts';

export const handler = lambdaHandler(recordSaveOutcome, undefined, { callbacks: stepFunctionsCallbacks });
