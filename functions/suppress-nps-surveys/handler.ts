import { crmFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { suppressNpsSurveys } from './suppress-nps-surveys.ts';

export const handler = lambdaHandler(suppressNpsSurveys, vendorPorts({ crm: crmFromEnvironment }));
