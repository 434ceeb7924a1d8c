import { verifySignature } from '../../adapters/signed-request.ts';
import { ContractError, DETAIL_TYPES, parseDomainEventMessage, type DomainEventMessage } from '../../contracts/index.ts';
import { AHEAD_OF_CLOCK, isAheadOfClock } from '../../core/accounts/update-time.ts';
import type { WebhookVendor } from '../vendor.ts';

/**
 * `POST /webhooks/events`: the company's own product (usage, red alerts, contracts, cancellations)
 * sends domain events as Standard Webhooks messages (https://www.standardwebhooks.com): the body is
 * `{ type, timestamp, data }`, signed `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with a
 * `whsec_` secret, in a five-minute window, as the `standardwebhooks` library signs and verifies.
 * The delivery id is `webhook-id`, which the sender keeps across retries.
 */
export const standardWebhooks: WebhookVendor = {
  id: 'events',
  name: 'Standard Webhooks',
  contentTypes: ['application/json'],
  // Any type of the contract a sender names: which sender may publish which is the stage's (./senders.ts).
  produces: DETAIL_TYPES,
  verify(request, secrets) {
    const verdict = verifySignature(request.rawBody.toString('utf8'), request.headers, secrets);
    return verdict === 'verified' ? { verified: true } : { verified: false, error: verdict };
  },
  translate(request, { now }) {
    const message = parseDomainEventMessage(JSON.parse(request.rawBody.toString('utf8')));
    refuseTimeAheadOfClock(message, now);
    return { deliveryId: request.headers['webhook-id']!, events: [message] };
  },
};

/**
 * An `AccountUpdated` whose `updatedAt` is ahead of our clock (core/accounts/update-time.ts) is refused
 * (400, naming the field): taken as it is, it would win over every later update of its fields.
 */
function refuseTimeAheadOfClock(message: DomainEventMessage, now: Date): void {
  if (message.type !== 'AccountUpdated') return;
  const { updatedAt } = message.data as DomainEventMessage<'AccountUpdated'>['data'];
  if (updatedAt !== undefined && isAheadOfClock(updatedAt, now)) throw new ContractError('AccountUpdated event', [`data.updatedAt: ${AHEAD_OF_CLOCK}`]);
}
