import { alertChannelFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { remindOpenAlerts } from './remind-open-alerts.ts';

export const handler = lambdaHandler(remindOpenAlerts, vendorPorts({ alerts: alertChannelFromEnvironment }));
