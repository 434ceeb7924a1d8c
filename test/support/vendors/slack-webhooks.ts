import { readFileSync } from 'node:fs';
import { signatureOf } from '../../../functions/ingest/vendors/slack.ts';
import type { InboundRequest } from '../../../functions/ingest/vendor.ts';

/**
 * Requests signed the way Slack signs them (https://docs.slack.dev/authentication/verifying-requests-from-slack/):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">`, `X-Slack-Request-Timestamp` in
 * Unix seconds. Interactivity comes as a form (`payload=<url-encoded JSON>`), the Events API as JSON.
 */

/** The sandbox's default signing secret for Slack (sandbox/secrets.ts). */
export const SLACK_DEVELOPMENT_SECRET = 'cs-playbooks-local-slack-secret';

const SAMPLES = new URL('../../../functions/ingest/vendors/samples/', import.meta.url);

/** A fixture from functions/ingest/vendors/samples/, as an object a test may change. */
export function slackSample<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`slack-${name}.json`, SAMPLES), 'utf8')) as T;
}

/** An interaction as Slack posts it: one form field, `payload`, the JSON. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload from the documented example, with one of our buttons clicked. */
export function buttonClick(actionId: string, value: Record<string, string>, options: { userId?: string; actionTs?: string } = {}) {
  const payload = slackSample<{ user: { id: string }; actions: Record<string, unknown>[] }>('block-actions');
  if (options.userId) payload.user.id = options.userId;
  payload.actions = [{ ...payload.actions[0], action_id: actionId, value: JSON.stringify(value), ...(options.actionTs ? { action_ts: options.actionTs } : {}) }];
  return payload;
}

/** `"1548426417.840180"`: Slack's Unix seconds with microseconds, for a click at `at`. */
export function slackTs(at: Date): string {
  return `${Math.floor(at.getTime() / 1000)}.${String((at.getTime() % 1000) * 1000 + Math.floor(Math.random() * 1000)).padStart(6, '0')}`;
}

export interface SlackSigning {
  secret?: string;
  signedAt?: Date;
  contentType?: string;
}

/** Headers of a request signed with `secret` at `signedAt` (now by default). */
export function slackHeaders(body: string, { secret = SLACK_DEVELOPMENT_SECRET, signedAt = new Date(), contentType = 'application/x-www-form-urlencoded' }: SlackSigning = {}) {
  const timestamp = String(Math.floor(signedAt.getTime() / 1000));
  return { 'content-type': contentType, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signatureOf(secret, timestamp, body) };
}

/** The request as the ingest receives it. */
export function slackRequest(body: string, signing: SlackSigning = {}, headers: Record<string, string | undefined> = {}): InboundRequest {
  return { method: 'POST', url: 'https://api.example.com/webhooks/slack', headers: { ...slackHeaders(body, signing), ...headers }, rawBody: Buffer.from(body, 'utf8') };
}
