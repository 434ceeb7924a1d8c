import { alertChannelFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { notifyPerson } from './notify-person.ts';

export const handler = lambdaHandler(notifyPerson, vendorPorts({ alerts: alertChannelFromEnvironment }));
