import { z } from '../contracts/zod.ts';

/** The ingest function's environment contract: the CDK construct types its `environment` from it. */
export const IngestEnvironment = z.object({
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  /** The ledger's table: the ingest remembers deliveries there (partition WEBHOOK_DELIVERY only). */
  TABLE_NAME: z.string().check(z.minLength(1)),
  /**
   * JSON object: vendor id → ARN of the Secrets Manager secret holding that vendor's active signing
   * secrets, comma-separated, newest first (two during a rotation).
   */
  WEBHOOK_SECRET_ARNS: z.string().check(z.minLength(2)),
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
  POWERTOOLS_SERVICE_NAME: z.string(),
  POWERTOOLS_METRICS_NAMESPACE: z.string(),
});
export type IngestEnvironment = z.infer<typeof IngestEnvironment>;

/** The vendor → secret ARN map of `WEBHOOK_SECRET_ARNS`. */
export const WebhookSecretArns = z.record(z.string(), z.string().check(z.minLength(1)));
