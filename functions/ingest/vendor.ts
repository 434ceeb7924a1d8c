import type { DomainEventMessage } from '../contracts/index.ts';

/**
 * What a vendor's webhook is to the ingest: how its requests are signed, and what they mean as
 * domain events. One module per vendor under ./vendors/, registered in ./vendors/index.ts; the
 * pipeline that runs them (size, content type, signature, body, idempotency, the bus) is
 * ./receive-webhook.ts, the same on AWS and in the sandbox.
 */
export interface WebhookVendor {
  /** The path segment: `POST /webhooks/<id>`. */
  readonly id: string;
  /** How people call it (README, errors). */
  readonly name: string;
  /** Media types it sends (parameters such as `charset` aside); any other is 415. */
  readonly contentTypes: readonly string[];
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
  translate(request: InboundRequest, context: { now: Date }): Translation;
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

export type Translation =
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
    }
  /** A handshake to answer at once, with nothing to publish (Slack's `url_verification`). */
  | { reply: { statusCode: 200; body: Record<string, unknown> } };

/** A verified body that does not say what the vendor documents: answered 400, with what is wrong. */
export class WebhookRejected extends Error {
  override readonly name = 'WebhookRejected';
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}
