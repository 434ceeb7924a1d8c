import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBridgeEvents, type DomainEvents } from '../adapters/domain-events.ts';
import { tracer } from './tracer.ts';

/**
 * The stage's bus, for an action that publishes the events it derives (lib/functions.ts `publishes`):
 * its domain's function gets `EVENT_BUS_NAME` and the grant, no other. Imported by those handlers only.
 */
export function eventBusFromEnvironment(): DomainEvents {
  const name = process.env.EVENT_BUS_NAME;
  if (!name) throw new Error('EVENT_BUS_NAME is not set: this function publishes domain events, and its stack gives it the bus (lib/cs-playbooks-stack.ts)');
  return eventBridgeEvents(tracer.captureAWSv3Client(new EventBridgeClient({})), name);
}
