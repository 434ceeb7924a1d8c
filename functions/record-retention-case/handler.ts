import { crmFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { recordRetentionCase } from './record-retention-case.ts';

export const handler = lambdaHandler(recordRetentionCase, vendorPorts({ crm: crmFromEnvironment }));
