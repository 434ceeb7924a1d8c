import { lambdaHandler } from '../runtime/lambda.ts';
import { createTask } from './create-task.ts';

export const handler = lambdaHandler(createTask);
