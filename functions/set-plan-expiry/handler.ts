import { crmFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { setPlanExpiry } from './set-plan-expiry.ts';

export const handler = lambdaHandler(setPlanExpiry, vendorPorts({ crm: crmFromEnvironment }));
