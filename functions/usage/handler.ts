import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { recordUsage } from './record-usage.ts';

/**
 * Product usage, recorded straight from the bus (an EventBridge rule's target, no state machine): at
 * the volume a product sends, a use costs one function call and a few item writes. Rules: ../core/usage/.
 */
export const handler = domainHandler('usage', {
  'record-usage': lambdaAction(recordUsage),
});
