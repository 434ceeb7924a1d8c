import { ContractError, describeIssues, parseDomainEventMessage, type DomainEventMessage } from '../../contracts/index.ts';
import { isoInstant, z } from '../../contracts/zod.ts';
import { olderThanDeliveryMemory } from '../delivery-memory.ts';
import { hmac, sameSignature, verifiedByAny } from '../signatures.ts';
import { WebhookRejected, type InboundRequest, type Translation, type TranslationContext, type Verification, type WebhookVendor } from '../vendor.ts';

/**
 * `POST /webhooks/segment`: your product's usage, as Segment's Webhooks destination forwards the calls
 * of its sources (https://www.twilio.com/docs/segment/connections/destinations/catalog/actions-webhook,
 * and the classic Webhooks destination).
 *
 * Signature: with a shared secret in the destination's settings, Segment signs each request with an
 * HMAC in `X-Signature`: a hex-encoded SHA1 of the raw body, keyed with the secret. No timestamp is
 * signed, so no window: a replay is made harmless by the call's `messageId` (Segment keeps it across
 * its retries: the delivery id, and the domain event's `segment:<messageId>`), and a call older than
 * the ingest remembers deliveries is refused (409), as Typeform's.
 *
 * Payload: one call of Segment's spec (https://www.twilio.com/docs/segment/connections/spec/common):
 * `{ type, messageId, timestamp, userId?, anonymousId?, event?, properties?, traits?, context?: { groupId?, traits? } }`.
 *
 * Contract: a `track`, `page` or `screen` call is one use of the product, a `ProductUsageRecorded` —
 * - `accountId`: the account the user acts for, `context.groupId` (set by Segment's `group` call on the
 *   user's later calls, the B2B convention), else the trait or property the stage names
 *   (`SEGMENT_ACCOUNT_TRAIT`: `context.traits.<name>`, then `properties.<name>`);
 * - `contactId`: `userId` (an anonymous call names no contact: the day is active, no user counted);
 * - `feature`: `properties.feature`, else the `track` call's `event` name;
 * - `at`: `timestamp` (when the use happened, by the source's clock).
 * `identify`, `group` and `alias` calls describe people and accounts, not uses: acknowledged and ignored.
 * A use without an account is ignored, saying so (no account, nothing to record it on).
 */

export const SIGNATURE_HEADER = 'x-signature';
/** The calls that are a use of the product. */
const USE_CALLS = ['track', 'page', 'screen'];

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const SegmentCall = z.looseObject({
  type: text(32),
  messageId: text(200),
  timestamp: isoInstant(),
  userId: z.optional(z.nullable(z.union([z.string(), z.number()]))),
  anonymousId: z.optional(z.nullable(z.string())),
  event: z.optional(z.string()),
  name: z.optional(z.nullable(z.string())),
  properties: z.optional(z.record(z.string(), z.unknown())),
  context: z.optional(z.looseObject({ groupId: z.optional(z.nullable(z.union([z.string(), z.number()]))), traits: z.optional(z.record(z.string(), z.unknown())) })),
});
type SegmentCall = z.infer<typeof SegmentCall>;

export const segment: WebhookVendor = {
  id: 'segment',
  name: 'Segment',
  contentTypes: ['application/json'],
  produces: ['ProductUsageRecorded'],
  verify: verifySegmentSignature,
  translate: translateSegmentCall,
};

/** `X-Signature: <hex HMAC-SHA1(secret, raw body)>`, each active secret tried. */
export function verifySegmentSignature(request: InboundRequest, secrets: readonly string[]): Verification {
  const received = request.headers[SIGNATURE_HEADER];
  if (typeof received !== 'string' || received === '') {
    return { verified: false, error: "Missing X-Signature header: give Segment's Webhooks destination a shared secret so that it signs its requests" };
  }
  if (!/^[0-9a-f]{40}$/i.test(received)) return { verified: false, error: 'X-Signature is not a hex SHA1 digest (40 hex digits)' };
  return verifiedByAny(secrets, (secret) => sameSignature(segmentSignature(secret, request.rawBody), received.toLowerCase()));
}

/** The header value Segment sends for `body` signed with `secret`. */
export function segmentSignature(secret: string, body: Buffer | string): string {
  return hmac('sha1', secret, body, 'hex');
}

export function translateSegmentCall(request: InboundRequest, { now, settings }: TranslationContext): Translation {
  const parsed = SegmentCall.safeParse(JSON.parse(request.rawBody.toString('utf8')));
  if (!parsed.success) throw new ContractError('Segment call', describeIssues(parsed.error));
  const call = parsed.data;
  const deliveryId = call.messageId;
  if (!USE_CALLS.includes(call.type)) {
    return { deliveryId, events: [], ignored: [`a ${JSON.stringify(call.type.slice(0, 32))} call describes people or accounts, not a use: only ${USE_CALLS.join(', ')} calls are uses of the product`] };
  }
  const accountId = accountOf(call, settings?.SEGMENT_ACCOUNT_TRAIT);
  if (!accountId) {
    const trait = settings?.SEGMENT_ACCOUNT_TRAIT;
    return { deliveryId, events: [], ignored: [`the ${call.type} call names no account: no context.groupId${trait ? `, context.traits.${trait} or properties.${trait}` : ' (or set SEGMENT_ACCOUNT_TRAIT)'}`] };
  }
  // No signed timestamp, so no window: a call older than the delivery memory might be a replay whose record expired.
  const tooOld = olderThanDeliveryMemory(new Date(call.timestamp), now);
  if (tooOld) throw new WebhookRejected(`This Segment call cannot be accepted any more: ${tooOld}`, [`timestamp: ${tooOld}`], 409);
  const feature = stringOf(call.properties?.feature) ?? (call.type === 'track' ? stringOf(call.event) : undefined);
  const userId = stringOf(call.userId);
  const event: DomainEventMessage = parseDomainEventMessage({
    type: 'ProductUsageRecorded',
    timestamp: call.timestamp,
    data: {
      eventId: `segment:${call.messageId}`,
      accountId,
      ...(userId ? { contactId: userId } : {}),
      at: call.timestamp,
      ...(feature ? { feature: feature.slice(0, 100) } : {}),
    },
  });
  return { deliveryId, events: [event] };
}

function accountOf(call: SegmentCall, trait: string | undefined): string | undefined {
  return stringOf(call.context?.groupId) ?? (trait ? (stringOf(call.context?.traits?.[trait]) ?? stringOf(call.properties?.[trait])) : undefined);
}

/** A non-empty id or name as text (Segment allows numbers for ids), at most 256 characters; else undefined. */
function stringOf(value: unknown): string | undefined {
  const textValue = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  return textValue === '' || textValue.length > 256 ? undefined : textValue;
}


