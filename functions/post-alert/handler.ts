import { lambdaHandler } from '../runtime/lambda.ts';
import { postAlert } from './post-alert.ts';

export const handler = lambdaHandler(postAlert);
