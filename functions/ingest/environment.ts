import { DETAIL_TYPES, type DetailType } from '../contracts/events.ts';
import { z } from '../contracts/zod.ts';

/** The ingest function's environment contract: the CDK construct types its `environment` from it. */
export const IngestEnvironment = z.object({
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  /** The ledger's table: the ingest remembers deliveries there (partition WEBHOOK_DELIVERY only). */
  TABLE_NAME: z.string().check(z.minLength(1)),
  /**
   * JSON object (WebhookSendersVariable): for each path (vendor id), its senders (the vendor itself, or
   * the named senders of `/webhooks/events`), each with the ARN of the Secrets Manager secret holding
   * its active signing secrets (comma-separated, newest first: two during a rotation) and the
   * detail-types it may publish (functions/ingest/senders.ts).
   */
  WEBHOOK_SENDERS: z.string().check(z.minLength(2)),
  /** The stage's `floodGuard.eventsPerAccountPerHour` (functions/core/flood): past it, an account's guarded events are held. */
  EVENTS_PER_ACCOUNT_PER_HOUR: z.string().check(z.regex(/^[1-9][0-9]{0,4}$/)),
  /**
   * Set only when the stage configures HubSpot (lib/vendors.ts `ingestVendorEnvironment`): the stage's
   * vendor secret (JSON, `HUBSPOT_ACCESS_TOKEN`), read to fetch the objects HubSpot's webhooks name;
   * the API root (tests), the retention pipeline (a deal created there is a risk), the property
   * holding our ledger's ids on tasks and deals, and the company property keying accounts, if any.
   */
  VENDOR_SECRET_ID: z.optional(z.string().check(z.minLength(1))),
  HUBSPOT_API_URL: z.optional(z.string().check(z.minLength(1))),
  HUBSPOT_RISK_PIPELINE: z.optional(z.string().check(z.minLength(1))),
  HUBSPOT_ID_PROPERTY: z.optional(z.string().check(z.minLength(1))),
  HUBSPOT_COMPANY_ID_PROPERTY: z.optional(z.string().check(z.minLength(1))),
  /** JSON: account field → the company property feeding it, where the stage maps another than the default (functions/ingest/vendors/hubspot-accounts.ts). */
  HUBSPOT_ACCOUNT_PROPERTIES: z.optional(z.string().check(z.minLength(2))),
  /** Segment: the trait (then property) naming a call's account when its context.groupId does not (functions/ingest/vendors/segment.ts). */
  SEGMENT_ACCOUNT_TRAIT: z.optional(z.string().check(z.minLength(1))),
  POWERTOOLS_SERVICE_NAME: z.string(),
  POWERTOOLS_METRICS_NAMESPACE: z.string(),
});
export type IngestEnvironment = z.infer<typeof IngestEnvironment>;

/** `WEBHOOK_SENDERS`: vendor id → sender → its secret's ARN and the detail-types it may publish. */
export const WebhookSendersVariable = z.record(
  z.string(),
  z.record(z.string(), z.object({ secretArn: z.string().check(z.minLength(1)), types: z.array(z.enum(DETAIL_TYPES as [DetailType, ...DetailType[]])) })),
);
export type WebhookSendersVariable = z.infer<typeof WebhookSendersVariable>;
