import { alertChannelFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { postAlert } from './post-alert.ts';

export const handler = lambdaHandler(postAlert, vendorPorts({ alerts: alertChannelFromEnvironment }));
