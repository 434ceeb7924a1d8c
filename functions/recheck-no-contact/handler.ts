import { lambdaHandler } from '../runtime/lambda.ts';
import { recheckNoContact } from './recheck-no-contact.ts';

export const handler = lambdaHandler(recheckNoContact);
