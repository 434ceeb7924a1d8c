import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DomainEventMessage } from '../contracts/index.ts';
import { busEntry, putAllEntries } from '../ingest/bus-entry.ts';

/**
 * Domain events a function derives from what it recorded (the usage recorder's `AccountActive`,
 * `ContactReturned`, `FeatureFirstUsed`), put on the bus for the playbooks they trigger. Only the
 * actions that name what they publish (lib/functions.ts `publishes`) get it, and their domain's role the
 * grant. Each event's `eventId` is derived from what it tells, so a retried call publishes the same ids,
 * which the playbooks dedupe on.
 */
export interface DomainEvents {
  publish(messages: readonly DomainEventMessage[]): Promise<void>;
}

/** On AWS: PutEvents on the stage's bus, 10 a call, the refused entries put again (as the ingest does). */
export function eventBridgeEvents(client: EventBridgeClient, eventBusName: string): DomainEvents {
  return {
    publish: (messages) =>
      putAllEntries(
        messages.map((message) => busEntry(message, eventBusName)),
        (entries) => client.send(new PutEventsCommand({ Entries: entries })),
      ),
  };
}
