import { lambdaHandler } from '../runtime/lambda.ts';
import { recordAccountNote } from './record-account-note.ts';

export const handler = lambdaHandler(recordAccountNote);
