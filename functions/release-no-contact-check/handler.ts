import { lambdaHandler } from '../runtime/lambda.ts';
import { releaseNoContactCheck } from './release-no-contact-check.ts';

export const handler = lambdaHandler(releaseNoContactCheck);
