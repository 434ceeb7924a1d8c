import type { DetailType, DomainEventMessage } from '../contracts/index.ts';

/**
 * What a vendor's webhook is to the ingest: how its requests are signed, and what they mean as
 * domain events. One module per vendor under ./vendors/, registered in ./vendors/index.ts; the
 * pipeline that runs them (size, content type, signature, body, idempotency, the bus) is
 * ./receive-webhook.ts, the same on AWS and in the sandbox.
 */
export interface WebhookVendor<Pending = unknown> {
  /** The path segment: `POST /webhooks/<id>`. */
  readonly id: string;
  /** How people call it (README, errors). */
  readonly name: string;
  /** Media types it sends (parameters such as `charset` aside); any other is 415. */
  readonly contentTypes: readonly string[];
  /**
   * Every detail-type its translation can publish: what the path may publish unless the stage narrows
   * it (`webhooks.<vendor>` in stages/<stage>.json, functions/ingest/senders.ts). The Standard Webhooks
   * path publishes the type its sender names, so its list is every type it may ever carry.
   */
  readonly produces: readonly DetailType[];
  /** The answer to an accepted delivery: 202 unless the vendor documents another (Slack wants 200). */
  readonly acceptedStatus?: 200 | 202;
  /**
   * Checks the request's signature with each active secret (two during a rotation), on the raw bytes,
   * with a constant-time compare and the scheme's timestamp window. Never throws for a bad request.
   */
  verify(request: InboundRequest, secrets: readonly string[], now: Date): Verification;
  /**
   * The verified request as domain events. Throws `WebhookRejected` (or a `SyntaxError` from
   * `JSON.parse`) for a body it cannot read; the message names the field.
   */
  translate(request: InboundRequest, context: TranslationContext): Translation<Pending>;
  /**
   * For a vendor whose webhooks only notify ("object 123 changed"): the translation's `pending` items
   * as events, by reading the objects they name from the vendor's API (`api`, with the stage's token).
   * An object gone since (404) or one no playbook reads is `ignored` with its reason; the API
   * unreachable, failing (5xx, 429) or refusing the token (401, 403) is `VendorApiUnavailable`, which
   * the pipeline answers 503 so that the vendor sends the delivery again. Nothing is published before
   * every pending item is resolved. `api` is `undefined` when the stage does not configure the
   * vendor's API: each item is then ignored, saying so.
   */
  resolve?(pending: readonly Pending[], api: VendorApi | undefined, context: TranslationContext): Promise<Resolution>;
}

/** A stage's plain settings of one vendor (`HUBSPOT_ACCOUNT_PROPERTIES`, …): the ingest's environment, the sandbox's vendor environment. */
export type VendorSettings = Readonly<Record<string, string | undefined>>;

export interface TranslationContext {
  now: Date;
  /** The stage's settings of this vendor (none when it configures nothing for it). */
  settings?: VendorSettings;
}

/**
 * A vendor's API as the ingest reads it: GETs with the stage's token (functions/ingest/vendor-api.ts
 * builds it from the vendor secret on AWS, from `vendorEnvironment` in the sandbox), and the stage's
 * plain settings for that vendor.
 */
export interface VendorApi {
  /**
   * `GET <api root><pathAndQuery>` with the token. Any HTTP answer resolves (the vendor module says
   * what it means); a network failure or a timeout rejects with `VendorApiUnavailable`.
   */
  get(pathAndQuery: string): Promise<VendorApiAnswer>;
  /** The stage's settings of this vendor (`HUBSPOT_RISK_PIPELINE`, …), as the functions read them. */
  readonly settings: VendorSettings;
}

export interface VendorApiAnswer {
  status: number;
  /** The parsed JSON body; `undefined` when empty or not JSON. */
  json: unknown;
  /** The `Retry-After` header, when the vendor sent one. */
  retryAfter?: string | undefined;
}

/** What `resolve` made of the pending items. */
export interface Resolution {
  events: DomainEventMessage[];
  ignored?: string[];
}

/**
 * The vendor's API could not say what a delivery means right now (down, 5xx, rate-limited, or the
 * token refused): answered 503 with `Retry-After`, nothing published, so the vendor retries.
 */
export class VendorApiUnavailable extends Error {
  override readonly name = 'VendorApiUnavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 30,
  ) {
    super(message);
  }
}

export interface InboundRequest {
  method: string;
  /** The URL the sender called, as it signed it (HubSpot's v3 signature covers it): scheme, host, path, query. */
  url: string;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The bytes as received: the signature covers them, not a re-serialisation. */
  rawBody: Buffer;
}

export type Verification = { verified: true } | { verified: false; error: string };

export type Translation<Pending = unknown> =
  | {
      /**
       * The vendor's own id of this delivery (retries of a delivery keep it): what makes a redelivery
       * publish nothing new.
       */
      deliveryId: string;
      /** What goes on the bus, in order; none when nothing in the delivery concerns a playbook. */
      events: DomainEventMessage[];
      /** What was received but not turned into an event, and why (an unsubscribed type, a property no playbook reads). */
      ignored?: string[];
      /** What only a read of the vendor's API can turn into events: the vendor's `resolve` gets them. */
      pending?: Pending[];
    }
  /** A handshake to answer at once, with nothing to publish (Slack's `url_verification`). */
  | { reply: { statusCode: 200; body: Record<string, unknown> } };

/**
 * A verified body that does not say what the vendor documents: answered 400, with what is wrong; or
 * 409, a delivery that may have been accepted before and can no longer be told from a replay.
 */
export class WebhookRejected extends Error {
  override readonly name = 'WebhookRejected';
  constructor(
    message: string,
    readonly details: readonly string[] = [],
    readonly statusCode: 400 | 409 = 400,
  ) {
    super(message);
  }
}
