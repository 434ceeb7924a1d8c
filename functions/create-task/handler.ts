import { crmFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { createTask } from './create-task.ts';

export const handler = lambdaHandler(createTask, vendorPorts({ crm: crmFromEnvironment }));
