import { crmFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { openRisk } from './open-risk.ts';

export const handler = lambdaHandler(openRisk, vendorPorts({ crm: crmFromEnvironment }));
