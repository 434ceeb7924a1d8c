import { header, isObject, startVendorServer, type Answer, type RecordedRequest, type VendorServer } from './vendor-server.ts';

/**
 * Slack's Web API methods `chat.postMessage` and `reactions.add`, as documented
 * (https://docs.slack.dev/reference/methods/chat.postMessage,
 * https://docs.slack.dev/reference/methods/reactions.add, https://docs.slack.dev/apis/web-api,
 * https://docs.slack.dev/apis/web-api/rate-limits):
 * - `POST /api/<method>`; JSON bodies need the token in `Authorization: Bearer …` (else `not_authed`;
 *   a wrong token is `invalid_auth`) and `Content-Type: application/json`; without `charset` the
 *   answer carries the `missing_charset` warning;
 * - errors come back as HTTP 200 `{ ok: false, error }`;
 * - throttling is HTTP 429 with `Retry-After` and `{ ok: false, error: "ratelimited" }`.
 *
 * Requests the protocol checks refuse are listed in `refusals` (a test asserts there are none, so a
 * protocol mistake never passes as a vendor error).
 */

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  metadata: unknown;
  reactions: Set<string>;
}

export interface LocalSlack extends VendorServer {
  /** The Web API base URL (`…/api`), what the adapter's `apiUrl` takes. */
  apiUrl: string;
  readonly messages: readonly SlackMessage[];
  readonly refusals: readonly { method: string; error: string }[];
  /** Answer the next `count` requests with HTTP 429, `Retry-After` and `ratelimited`. */
  rateLimitNextRequests(count: number, retryAfterSeconds: number): void;
  /** Answer the next `count` requests with HTTP 200 `{ ok: false, error }`. */
  failNextWithError(count: number, error: string): void;
}

export const SLACK_MAX_TEXT = 40_000;

export async function startLocalSlack(options: { botToken: string; channels: readonly string[] }): Promise<LocalSlack> {
  const messages: SlackMessage[] = [];
  const refusals: { method: string; error: string }[] = [];
  let sequence = 0;

  const fail = (error: string, refusal?: string): Answer => {
    if (refusal) refusals.push({ method: refusal, error });
    return { status: 200, body: { ok: false, error } };
  };

  function handle(request: RecordedRequest): Answer {
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(request.path);
    const method = match?.[1] ?? request.path;
    if (!match || request.method !== 'POST') return { status: 404, body: fail('unknown_method', method).body };
    const contentType = header(request.headers, 'content-type') ?? '';
    if (!contentType.startsWith('application/json')) return fail('invalid_post_type', method);
    const authorization = header(request.headers, 'authorization');
    if (!authorization) return fail('not_authed', method);
    if (authorization !== `Bearer ${options.botToken}`) return fail('invalid_auth', method);
    if (!isObject(request.body)) return fail('invalid_json', method);
    const warnings = /charset=utf-8/i.test(contentType) ? [] : ['missing_charset'];
    if (warnings.length > 0) refusals.push({ method, error: 'missing_charset' });
    const ok = (fields: Record<string, unknown>): Answer => ({
      status: 200,
      body: { ok: true, ...fields, ...(warnings.length > 0 ? { warning: warnings.join(','), response_metadata: { warnings } } : {}) },
    });
    const args = request.body;

    switch (method) {
      case 'chat.postMessage': {
        const channel = args.channel;
        if (typeof channel !== 'string' || !options.channels.includes(channel)) return fail('channel_not_found');
        const text = args.text;
        if ((typeof text !== 'string' || text.length === 0) && args.blocks === undefined) return fail('no_text');
        if (typeof text === 'string' && text.length > SLACK_MAX_TEXT) return fail('msg_too_long');
        if (args.metadata !== undefined) {
          const metadata = args.metadata;
          if (!isObject(metadata) || typeof metadata.event_type !== 'string' || !isObject(metadata.event_payload)) {
            return fail('invalid_metadata_format');
          }
        }
        sequence++;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
        messages.push({ channel, ts, text: String(text ?? ''), metadata: args.metadata, reactions: new Set() });
        return ok({
          channel,
          ts,
          message: { type: 'message', subtype: 'bot_message', bot_id: 'B0LOCALBOT', text, ts, ...(args.metadata ? { metadata: args.metadata } : {}) },
        });
      }
      case 'reactions.add': {
        const { channel, timestamp, name } = args;
        if (typeof channel !== 'string' || typeof timestamp !== 'string') return fail('no_item_specified');
        if (typeof name !== 'string' || name.length === 0 || name.includes(':')) return fail('invalid_name');
        if (!options.channels.includes(channel)) return fail('channel_not_found');
        const message = messages.find((m) => m.channel === channel && m.ts === timestamp);
        if (!message) return fail('message_not_found');
        if (message.reactions.has(name)) return fail('already_reacted');
        message.reactions.add(name);
        return ok({});
      }
      default:
        return fail('unknown_method', method);
    }
  }

  const server = await startVendorServer(handle);
  const reset = server.reset.bind(server);
  return Object.assign(server, {
    apiUrl: `${server.url}/api`,
    messages,
    refusals,
    rateLimitNextRequests(count: number, retryAfterSeconds: number) {
      server.failNextRequests(count, { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) }, body: { ok: false, error: 'ratelimited' } });
    },
    failNextWithError(count: number, error: string) {
      server.failNextRequests(count, { status: 200, body: { ok: false, error } });
    },
    reset() {
      reset();
      messages.length = 0;
      refusals.length = 0;
    },
  });
}
