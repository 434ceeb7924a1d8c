import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { InboundRequest } from '../../../functions/ingest/vendor.ts';

/**
 * Typeform's side of a webhook delivery, as https://www.typeform.com/developers/webhooks/secure-your-webhooks/
 * documents it: the body as JSON, `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, body)>`.
 * Computed here with node:crypto directly, not with the vendor module under test.
 */
/** A form's webhook secret, and the one it replaced (a rotation): the tests' stage accepts both. */
export const CURRENT_SECRET = 'a7f3c9e1d2b4f6a8c0e2d4f6b8a0c2e4f6a8b0c2';
export const PREVIOUS_SECRET = '3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f';

export function signTypeform(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/** A fixture from functions/ingest/vendors/samples/, as text (the signature covers these exact bytes). */
export function typeformSample(name: 'example-payload' | 'nps-detractor'): string {
  return readFileSync(new URL(`../../../functions/ingest/vendors/samples/typeform-${name}.json`, import.meta.url), 'utf8');
}

/** A fixture parsed, to change one thing and serialise again. */
export function typeformPayload(name: 'example-payload' | 'nps-detractor'): TypeformPayload {
  return JSON.parse(typeformSample(name)) as TypeformPayload;
}

export interface TypeformPayload {
  event_id: string;
  event_type: string;
  form_response: {
    form_id: string;
    token: string;
    submitted_at: string;
    hidden?: Record<string, unknown>;
    definition: { fields: { id: string; type: string; ref?: string; properties?: Record<string, unknown> }[] };
    answers?: { type: string; number?: number; text?: string; field: { id: string; type: string } }[];
    [key: string]: unknown;
  };
}

export interface TypeformDelivery {
  secret: string;
  /** Defaults to application/json, what Typeform sends. */
  contentType?: string;
  /** A signature header of your own (or none with `null`). */
  signature?: string | null;
}

/** The request the ingest sees for Typeform posting `body`. */
export function typeformRequest(body: string, { secret, contentType = 'application/json', signature }: TypeformDelivery): InboundRequest {
  const header = signature === undefined ? signTypeform(secret, body) : signature;
  return {
    method: 'POST',
    url: 'https://abc123.execute-api.eu-west-3.amazonaws.com/webhooks/typeform',
    headers: { 'content-type': contentType, 'user-agent': 'Typeform Webhooks', ...(header === null ? {} : { 'typeform-signature': header }) },
    rawBody: Buffer.from(body, 'utf8'),
  };
}

/** Typeform posting `body` to a running sandbox (`POST <base>/webhooks/typeform`). */
export function postTypeform(baseUrl: string, body: string, delivery: TypeformDelivery): Promise<Response> {
  const request = typeformRequest(body, delivery);
  return fetch(`${baseUrl}/webhooks/typeform`, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(request.headers).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    body,
  });
}
