import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { completeTask } from './complete-task.ts';
import { createTask } from './create-task.ts';
import { findOpenTasks } from './find-open-tasks.ts';

/** The CSMs' tasks: created once per reason (their CRM mirror queued for the dispatch function), completed when the CRM says so. Rules: ../core/tasks/. */
export const handler = domainHandler('tasks', {
  'create-task': lambdaAction(createTask),
  'complete-task': lambdaAction(completeTask),
  'find-open-tasks': lambdaAction(findOpenTasks),
});
