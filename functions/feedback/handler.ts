import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { stepFunctionsCallbacks } from '../runtime/step-functions.ts';
import { awaitFirstReply } from './await-first-reply.ts';
import { checkSaleCancellation } from './check-sale-cancellation.ts';
import { planClientRisk } from './plan-client-risk.ts';
import { planFirstReply } from './plan-first-reply.ts';
import { recordClientReply } from './record-client-reply.ts';
import { recordSlaBreach } from './record-sla-breach.ts';

const resumesExecutions = { callbacks: () => stepFunctionsCallbacks };

/**
 * A client's feedback: the first reply and its service level, the client risk, a suspension that
 * cancels the sale. Rules: ../core/feedback/.
 */
export const handler = domainHandler('feedback', {
  'plan-first-reply': lambdaAction(planFirstReply),
  'await-first-reply': lambdaAction(awaitFirstReply, undefined, resumesExecutions),
  'record-client-reply': lambdaAction(recordClientReply, undefined, resumesExecutions),
  'record-sla-breach': lambdaAction(recordSlaBreach),
  'plan-client-risk': lambdaAction(planClientRisk),
  'check-sale-cancellation': lambdaAction(checkSaleCancellation),
});
