import { alertChannelFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { acknowledgeAlert } from './acknowledge-alert.ts';

export const handler = lambdaHandler(acknowledgeAlert, vendorPorts({ alerts: alertChannelFromEnvironment }));
