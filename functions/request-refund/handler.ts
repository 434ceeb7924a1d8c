import { financeChannelFromEnvironment } from '../adapters/from-environment.ts';
import { lambdaHandler } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { requestRefund } from './request-refund.ts';

export const handler = lambdaHandler(requestRefund, vendorPorts({ finance: financeChannelFromEnvironment }));
