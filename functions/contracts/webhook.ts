import { DETAIL_TYPES, DetailSchemas, type DetailOf, type DetailType } from './events.ts';
import { ContractError, describeIssues, isoInstant, z } from './zod.ts';

/** Body of a Standard Webhooks message carrying one domain event (`POST /webhooks/events`). */
const Envelope = z.object({
  type: z.enum(DETAIL_TYPES as [DetailType, ...DetailType[]]),
  timestamp: isoInstant(),
  data: z.unknown(),
});

export interface DomainEventMessage<T extends DetailType = DetailType> {
  type: T;
  timestamp: string;
  data: DetailOf<T>;
}

/** Validate the envelope, then the detail against its detail-type's schema; errors name `data.<field>`. */
export function parseDomainEventMessage(body: unknown): DomainEventMessage {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) throw new ContractError('event', describeIssues(envelope.error));
  const { type, timestamp, data } = envelope.data;
  const detail = DetailSchemas[type].safeParse(data);
  if (!detail.success) throw new ContractError(`${type} event`, describeIssues(detail.error, ['data']));
  return { type, timestamp, data: detail.data } as DomainEventMessage;
}
