import { lambdaHandler } from '../runtime/lambda.ts';
import { notifyPerson } from './notify-person.ts';

export const handler = lambdaHandler(notifyPerson);
