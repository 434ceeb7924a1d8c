import { financeChannelFromEnvironment } from '../adapters/from-environment.ts';
import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { vendorPorts } from '../runtime/lambda-ports.ts';
import { requestRefund } from './request-refund.ts';

/**
 * The refund request to finance, alone in its domain: the one action that moves money keeps a function,
 * and a role, of its own. Rules: ../core/pre-churn/refund.ts (with the pre-churn rule it checks).
 */
export const handler = domainHandler('refund', {
  'request-refund': lambdaAction(requestRefund, vendorPorts({ finance: financeChannelFromEnvironment })),
});
