import { eventBusFromEnvironment } from '../runtime/event-bus.ts';
import { domainHandler, lambdaAction } from '../runtime/lambda.ts';
import { recordUsage } from './record-usage.ts';

/**
 * Product usage, recorded straight from the bus (an EventBridge rule's target, no state machine): at
 * the volume a product sends, a use costs one function call, a read and a few item writes; what a use
 * tells the playbooks goes back on the bus. Rules: ../core/usage/.
 */
export const handler = domainHandler('usage', {
  'record-usage': lambdaAction(recordUsage, undefined, { events: eventBusFromEnvironment }),
});
