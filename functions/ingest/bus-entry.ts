import { EVENT_SOURCE, type DomainEventMessage } from '../contracts/index.ts';

/** The PutEvents entry of a domain event: `source` cs-playbooks, `detail-type` its name. */
export function busEntry(message: DomainEventMessage, eventBusName: string) {
  return {
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: message.type,
    Detail: JSON.stringify(message.data),
    Time: new Date(message.timestamp),
  };
}
