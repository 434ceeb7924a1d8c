import { crmFromEnvironment } from '../adapters/from-environment.ts';
import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { completeTask } from './complete-task.ts';
import { createTask } from './create-task.ts';
import { findOpenTasks } from './find-open-tasks.ts';

/** The CSMs' tasks: created once per reason and mirrored to the CRM, completed when the CRM says so. Rules: ../core/tasks/. */
export const handler = domainHandler('tasks', {
  'create-task': lambdaAction(createTask, vendorPorts({ crm: crmFromEnvironment })),
  'complete-task': lambdaAction(completeTask),
  'find-open-tasks': lambdaAction(findOpenTasks),
});
