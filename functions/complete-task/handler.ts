import { lambdaHandler } from '../runtime/lambda.ts';
import { completeTask } from './complete-task.ts';

export const handler = lambdaHandler(completeTask);
