import type { Logger } from '@aws-lambda-powertools/logger';
import type { Fetch } from '../../functions/adapters/vendor-http.ts';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { deliveries } from '../../functions/ingest/deliveries.ts';
import { receiveWebhook, type WebhookResponse } from '../../functions/ingest/receive-webhook.ts';
import type { WebhookSenders } from '../../functions/ingest/senders.ts';
import { vendorApis, vendorSettings } from '../../functions/ingest/vendor-api.ts';
import type { InboundRequest } from '../../functions/ingest/vendor.ts';
import type { LocalDynamoDB } from '../database/dynamodb.ts';

export interface SandboxIngestOptions {
  database: LocalDynamoDB;
  /** Puts a delivery's events on the sandbox's bus (their personal fields sealed first, as the ingest function does): all or none. */
  publish(events: readonly DomainEventMessage[]): Promise<unknown>;
  /** The vendors' settings and tokens (HUBSPOT_ACCESS_TOKEN…), as the Lambda reads them from its secret. */
  vendorEnvironment: Readonly<Record<string, string | undefined>>;
  fetch?: Fetch | undefined;
  logger: Logger;
  /** Who may post what: the stage's `webhooks` (functions/ingest/senders.ts), the defaults when absent. */
  senders?: WebhookSenders | undefined;
}

/** A sender's active signing secrets: `sender` is the vendor's id on a vendor's path, a sender's name on `/webhooks/events`. */
export type SenderSecrets = (vendor: string, sender: string) => readonly string[];

/**
 * The ingest function as the sandbox runs it (functions/ingest/receive-webhook.ts): the same checks
 * and translation, the same Powertools idempotency on the sandbox's table (so a redelivery publishes
 * nothing), and vendors' APIs read with the sandbox's vendor environment. Signatures are checked
 * against the wall clock, as senders sign.
 */
export function sandboxIngest({ database, publish, vendorEnvironment, fetch, logger, senders }: SandboxIngestOptions) {
  const { publishOnce } = deliveries({
    dynamodb: database.client,
    tableName: database.tableName,
    publish: async (events) => void (await publish(events)),
    remainingTimeMs: () => 10_000,
  });
  const vendorApi = vendorApis({ env: vendorEnvironment, tokens: async () => vendorEnvironment, fetch });
  return (vendor: string, request: InboundRequest, secrets: SenderSecrets): Promise<WebhookResponse> =>
    receiveWebhook(vendor, request, {
      now: () => new Date(),
      ...(senders ? { senders } : {}),
      secrets: async (id, sender) => secrets(id, sender),
      publishOnce,
      vendorApi,
      vendorSettings: vendorSettings(vendorEnvironment),
      log: (message, fields) => logger.warn(message, fields),
    });
}
