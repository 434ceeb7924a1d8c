import { alertChannelFromEnvironment, crmFromEnvironment, mailerFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { deliverDispatches } from './deliver-dispatches.ts';

export const handler = lambdaHandler(deliverDispatches, vendorPorts({ crm: crmFromEnvironment, alerts: alertChannelFromEnvironment, mailer: mailerFromEnvironment }));
