import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { hubspotSignatureHeaders } from './vendors/hubspot-webhooks.ts';
import { signTypeform } from './vendors/typeform-webhooks.ts';
import { zendeskHeaders } from './vendors/zendesk-webhooks.ts';

/**
 * How each vendor signs a request, for tests that must get past the signature (the fuzz test's signed
 * bodies, redeliveries): the vendor's own scheme, with a given secret, at a given time. And the
 * vendor's documented sample bodies, the starting points of mutations.
 */
export interface VendorSigner {
  /** The media type the vendor sends. */
  contentType: string;
  /** The signature headers of `body` sent to `url` at `at`, signed with `secret`; `deliveryId` where the scheme carries one. */
  sign(request: { body: string; secret: string; at: Date; url: string; deliveryId: string }): Record<string, string>;
  /** Documented sample payloads, as JSON text. */
  samples(): string[];
  /** A payload as the vendor sends it in a body: JSON, unless the vendor says otherwise (Slack's form). */
  encode?(payload: unknown): string;
}

const CONTRACT_SAMPLES = new URL('../../functions/contracts/samples/', import.meta.url);
const VENDOR_SAMPLES = new URL('../../functions/ingest/vendors/samples/', import.meta.url);

/** The vendor samples of `vendor` (`functions/ingest/vendors/samples/<vendor>-*.json`), as sent. */
export function vendorSamples(vendor: string): string[] {
  let files: string[];
  try {
    files = readdirSync(VENDOR_SAMPLES).filter((file) => file.startsWith(`${vendor}-`) && file.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((file) => readFileSync(new URL(file, VENDOR_SAMPLES), 'utf8'));
}

export const SIGNERS: Record<string, VendorSigner> = {
  events: {
    contentType: 'application/json',
    sign: ({ body, secret, at, deliveryId }) => ({
      'webhook-id': deliveryId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(deliveryId, at, body),
    }),
    samples: () =>
      readdirSync(CONTRACT_SAMPLES)
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => readFileSync(new URL(file, CONTRACT_SAMPLES), 'utf8')),
  },
  hubspot: {
    contentType: 'application/json',
    sign: ({ body, secret, at, url }) => hubspotSignatureHeaders({ clientSecret: secret, url, body, signedAt: at }),
    samples: () => vendorSamples('hubspot'),
  },
  typeform: {
    contentType: 'application/json',
    sign: ({ body, secret }) => ({ 'typeform-signature': signTypeform(secret, body) }),
    samples: () => vendorSamples('typeform'),
  },
  slack: {
    contentType: 'application/x-www-form-urlencoded',
    // Slack's v0 scheme, computed here rather than with the module under test.
    sign: ({ body, secret, at }) => {
      const timestamp = String(Math.floor(at.getTime() / 1000));
      return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}` };
    },
    samples: () => vendorSamples('slack'),
    // Interactions as Slack sends them: one form field, `payload`, the JSON.
    encode: (payload) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
  },
  zendesk: {
    contentType: 'application/json',
    sign: ({ body, secret, at }) => zendeskHeaders(body, { secret, signedAt: at }),
    samples: () => vendorSamples('zendesk'),
  },
  segment: {
    contentType: 'application/json',
    // Segment's X-Signature, computed here rather than with the module under test: hex HMAC-SHA1 of the body.
    sign: ({ body, secret }) => ({ 'x-signature': createHmac('sha1', secret).update(body).digest('hex') }),
    samples: () => vendorSamples('segment'),
  },
};
