/**
 * How long the ingest remembers a delivery (./deliveries.ts: the TTL of its records): vendors retry
 * for up to three days (Standard Webhooks' schedule ends after about 1.5 days; HubSpot's after 3).
 * Here, apart from Powertools, so that a vendor's translation can read it.
 */
export const DELIVERY_MEMORY_SECONDS = 3 * 86_400 + 3600;

/**
 * Why an answer made at `madeAt` can no longer be accepted at `now` (undefined when it can): older
 * than the delivery memory, its delivery's record may have expired, so a replay of it could not be
 * told from its first delivery and would start its playbook again. A vendor that signs no timestamp
 * (Typeform) is kept from replays this way; the others by their signature's five-minute window.
 */
export function olderThanDeliveryMemory(madeAt: Date, now: Date): string | undefined {
  const ageSeconds = (now.getTime() - madeAt.getTime()) / 1000;
  if (!(ageSeconds > DELIVERY_MEMORY_SECONDS)) return undefined;
  return `it was made more than ${DELIVERY_MEMORY_SECONDS / 3600} hours ago, longer than the ingest remembers a delivery: a replay could not be told from a first delivery, so it is refused`;
}
