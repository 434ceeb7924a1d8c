import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { hmac } from '../functions/ingest/signatures.ts';
import { signatureV3 } from '../functions/ingest/vendors/hubspot.ts';
import { segmentSignature } from '../functions/ingest/vendors/segment.ts';
import { signatureOf } from '../functions/ingest/vendors/slack.ts';
import { typeformSignature } from '../functions/ingest/vendors/typeform.ts';

/**
 * What `npx playbooks send --vendor <id> <payload.json>` sends: the payload as that vendor puts it in
 * a request (Slack's interactions as a form), signed the vendor's way with the sandbox's secret for it,
 * so a team can replay what a tool really sends to a running sandbox. The ingest's verification of
 * each scheme has tests of its own, against signatures computed apart from these modules.
 */
export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

type Signer = (payload: string, secret: string, url: string, at: Date) => SignedDelivery;

/**
 * A Standard Webhooks message's headers (https://www.standardwebhooks.com): its id, the time it was
 * signed (seconds) and the signature of id, time and body with `secret`. What `/webhooks/events` and
 * `POST /approvals/<id>` verify; every signer of the sandbox and its CLI builds them here.
 */
export function standardWebhookHeaders(id: string, payload: string, secret: string, at: Date): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, payload) };
}

const json = (headers: Record<string, string>, body: string): SignedDelivery => ({ headers: { 'content-type': 'application/json', ...headers }, body });

const SIGNERS: Readonly<Record<string, Signer>> = {
  events: (payload, secret, _url, at) => json(standardWebhookHeaders(`msg_${randomUUID()}`, payload, secret, at), payload),
  typeform: (payload, secret) => json({ 'typeform-signature': typeformSignature(secret, payload) }, payload),
  hubspot: (payload, secret, url, at) => {
    const timestamp = String(at.getTime());
    return json({ 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': signatureV3(secret, { method: 'POST', url, rawBody: Buffer.from(payload) }, timestamp) }, payload);
  },
  zendesk: (payload, secret, _url, at) => {
    const timestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return json({ 'x-zendesk-webhook-signature-timestamp': timestamp, 'x-zendesk-webhook-signature': hmac('sha256', secret, [timestamp, payload], 'base64') }, payload);
  },
  slack: (payload, secret, _url, at) => {
    // An interaction: one form field, `payload`, the JSON. A JSON body of the Events API goes as is.
    const { type } = JSON.parse(payload) as { type?: unknown };
    const isEvent = type === 'event_callback' || type === 'url_verification';
    const body = isEvent ? payload : new URLSearchParams({ payload }).toString();
    const timestamp = String(Math.floor(at.getTime() / 1000));
    return {
      headers: { 'content-type': isEvent ? 'application/json' : 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signatureOf(secret, timestamp, body) },
      body,
    };
  },
  segment: (payload, secret) => json({ 'x-signature': segmentSignature(secret, payload) }, payload),
};

export const SIGNED_VENDORS = Object.keys(SIGNERS);

/** `payload` (the JSON text a vendor sends) as `vendor` delivers it to `url`, signed with `secret` now. */
export function signedDelivery(vendor: string, payload: string, secret: string, url: string, at = new Date()): SignedDelivery {
  const sign = Object.hasOwn(SIGNERS, vendor) ? SIGNERS[vendor]! : undefined;
  if (!sign) throw new Error(`No such vendor "${vendor}": ${SIGNED_VENDORS.join(', ')}`);
  return sign(payload, secret, url, at);
}
