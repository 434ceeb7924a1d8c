import { lambdaHandler } from '../runtime/lambda.ts';
import { findOpenTasks } from './find-open-tasks.ts';

export const handler = lambdaHandler(findOpenTasks);
