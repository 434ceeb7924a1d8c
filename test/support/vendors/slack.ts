import { header, isObject, startVendorServer, type Answer, type RecordedRequest, type VendorServer } from './vendor-server.ts';

/**
 * Slack's Web API methods `chat.postMessage`, `reactions.add` and `conversations.history`, as documented
 * (https://docs.slack.dev/reference/methods/chat.postMessage,
 * https://docs.slack.dev/reference/methods/reactions.add,
 * https://docs.slack.dev/reference/methods/conversations.history, https://docs.slack.dev/apis/web-api,
 * https://docs.slack.dev/apis/web-api/rate-limits, https://docs.slack.dev/messaging/message-metadata):
 * - `POST /api/<method>` with a JSON body; read methods (`conversations.history`) also `GET` with a
 *   query string. The token goes in `Authorization: Bearer …` (else `not_authed`; a wrong token is
 *   `invalid_auth`); a JSON body needs `Content-Type: application/json`, and without `charset` the
 *   answer carries the `missing_charset` warning;
 * - each method needs its scope (`chat:write`, `reactions:write`; `channels:history` for a public
 *   channel's history, `groups:history` for a private one's, `im:history` for a direct conversation's):
 *   without it, `missing_scope` with `needed` and `provided`;
 * - errors come back as HTTP 200 `{ ok: false, error }`;
 * - throttling is HTTP 429 with `Retry-After` and `{ ok: false, error: "ratelimited" }`;
 * - a message posted to a person's member id (`U…`) lands in the app's direct conversation with them (`D…`);
 * - a message's `metadata` (`event_type`, `event_payload`) is kept, and returned by conversations.history
 *   only with `include_all_metadata`; history is newest first, between `oldest` and `latest` (exclusive
 *   unless `inclusive`), `limit` per page (default 100, at most 999), with `has_more` and
 *   `response_metadata.next_cursor` for the next page.
 *
 * Requests the protocol checks refuse are listed in `refusals` (a test asserts there are none, so a
 * protocol mistake never passes as a vendor error). Message timestamps follow `now` (the test's clock,
 * a simulation's virtual one), one microsecond apart within a second.
 */

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  metadata: unknown;
  /** Block Kit blocks, when the message has any (buttons). */
  blocks?: unknown[];
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
  /** The clock message timestamps are taken from. */
  useClock(now: () => Date): void;
}

export const SLACK_MAX_TEXT = 40_000;
/** What a bot token of this project is granted by default: everything its adapters call. */
export const DEFAULT_BOT_SCOPES = ['chat:write', 'reactions:write', 'channels:history', 'groups:history'] as const;

export interface LocalSlackOptions {
  botToken: string;
  /** Public channels the bot is a member of. */
  channels: readonly string[];
  /** Private channels the bot is a member of (their history needs `groups:history`). */
  privateChannels?: readonly string[];
  /** Members the bot may write to directly (`U…`). */
  users?: readonly string[];
  scopes?: readonly string[];
  now?: () => Date;
}

export async function startLocalSlack(options: LocalSlackOptions): Promise<LocalSlack> {
  const messages: SlackMessage[] = [];
  const refusals: { method: string; error: string }[] = [];
  const scopes = options.scopes ?? DEFAULT_BOT_SCOPES;
  const privateChannels = options.privateChannels ?? [];
  const users = options.users ?? [];
  let now = options.now ?? (() => new Date());
  let sequence = 0;
  let lastSecond = 0;

  const fail = (error: string, refusal?: string): Answer => {
    if (refusal) refusals.push({ method: refusal, error });
    return { status: 200, body: { ok: false, error } };
  };
  const isChannel = (id: string) => options.channels.includes(id) || privateChannels.includes(id);
  /** A direct conversation's id for a member: what Slack answers for a message posted to them. */
  const directConversation = (user: string) => `D${user.slice(1)}`;
  const historyScope = (channel: string) => (channel.startsWith('D') ? 'im:history' : privateChannels.includes(channel) ? 'groups:history' : 'channels:history');

  function nextTs(): string {
    const second = Math.floor(now().getTime() / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      sequence = 0;
    }
    sequence++;
    return `${second}.${String(sequence).padStart(6, '0')}`;
  }

  function handle(request: RecordedRequest): Answer {
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(request.path);
    const method = match?.[1] ?? request.path;
    if (!match || (request.method !== 'POST' && request.method !== 'GET')) return { status: 404, body: fail('unknown_method', method).body };
    let args: Record<string, unknown>;
    let warnings: string[] = [];
    if (request.method === 'GET') {
      args = Object.fromEntries(request.query);
    } else {
      const contentType = header(request.headers, 'content-type') ?? '';
      if (!contentType.startsWith('application/json')) return fail('invalid_post_type', method);
      if (!isObject(request.body)) return fail('invalid_json', method);
      warnings = /charset=utf-8/i.test(contentType) ? [] : ['missing_charset'];
      if (warnings.length > 0) refusals.push({ method, error: 'missing_charset' });
      args = request.body;
    }
    const authorization = header(request.headers, 'authorization');
    if (!authorization) return fail('not_authed', method);
    if (authorization !== `Bearer ${options.botToken}`) return fail('invalid_auth', method);
    const ok = (fields: Record<string, unknown>): Answer => ({
      status: 200,
      body: { ok: true, ...fields, ...(warnings.length > 0 ? { warning: warnings.join(','), response_metadata: { warnings } } : {}) },
    });
    const missingScope = (needed: string): Answer | undefined =>
      scopes.includes(needed) ? undefined : { status: 200, body: { ok: false, error: 'missing_scope', needed, provided: scopes.join(',') } };

    switch (method) {
      case 'chat.postMessage': {
        if (request.method !== 'POST') return fail('invalid_post_type', method);
        const denied = missingScope('chat:write');
        if (denied) return denied;
        const target = args.channel;
        if (typeof target !== 'string' || (!isChannel(target) && !users.includes(target))) return fail('channel_not_found');
        const channel = users.includes(target) ? directConversation(target) : target;
        const text = args.text;
        if ((typeof text !== 'string' || text.length === 0) && args.blocks === undefined) return fail('no_text');
        if (typeof text === 'string' && text.length > SLACK_MAX_TEXT) return fail('msg_too_long');
        if (args.metadata !== undefined) {
          const metadata = args.metadata;
          if (!isObject(metadata) || typeof metadata.event_type !== 'string' || !isObject(metadata.event_payload)) {
            return fail('invalid_metadata_format');
          }
        }
        if (args.blocks !== undefined && blocksProblem(args.blocks)) {
          refusals.push({ method, error: `invalid_blocks: ${blocksProblem(args.blocks)}` });
          return { status: 200, body: { ok: false, error: 'invalid_blocks', errors: [blocksProblem(args.blocks)] } };
        }
        const ts = nextTs();
        messages.push({ channel, ts, text: String(text ?? ''), metadata: args.metadata, ...(args.blocks ? { blocks: args.blocks as unknown[] } : {}), reactions: new Set() });
        return ok({
          channel,
          ts,
          message: { type: 'message', subtype: 'bot_message', bot_id: 'B0LOCALBOT', text, ts, ...(args.metadata ? { metadata: args.metadata } : {}) },
        });
      }
      case 'reactions.add': {
        if (request.method !== 'POST') return fail('invalid_post_type', method);
        const denied = missingScope('reactions:write');
        if (denied) return denied;
        const { channel, timestamp, name } = args;
        if (typeof channel !== 'string' || typeof timestamp !== 'string') return fail('no_item_specified');
        if (typeof name !== 'string' || name.length === 0 || name.includes(':')) return fail('invalid_name');
        if (!isChannel(channel)) return fail('channel_not_found');
        const message = messages.find((m) => m.channel === channel && m.ts === timestamp);
        if (!message) return fail('message_not_found');
        if (message.reactions.has(name)) return fail('already_reacted');
        message.reactions.add(name);
        return ok({});
      }
      case 'conversations.history':
        return history(args, missingScope, ok);
      default:
        return fail('unknown_method', method);
    }
  }

  function history(args: Record<string, unknown>, missingScope: (needed: string) => Answer | undefined, ok: (fields: Record<string, unknown>) => Answer): Answer {
    const channel = args.channel;
    if (typeof channel !== 'string' || channel.length === 0) return fail('channel_not_found');
    const denied = missingScope(historyScope(channel));
    if (denied) return denied;
    if (!isChannel(channel) && !messages.some((m) => m.channel === channel)) return fail('channel_not_found');
    const timestamp = (value: unknown, fallback: number, error: string): number | Answer => {
      if (value === undefined || value === '') return fallback;
      const parsed = Number(value);
      return Number.isFinite(parsed) ? parsed : fail(error);
    };
    const oldest = timestamp(args.oldest, 0, 'invalid_ts_oldest');
    if (typeof oldest !== 'number') return oldest;
    const latest = timestamp(args.latest, Number.POSITIVE_INFINITY, 'invalid_ts_latest');
    if (typeof latest !== 'number') return latest;
    const inclusive = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1';
    const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true' || args.include_all_metadata === '1';
    const limit = Math.min(999, Math.max(1, Number(args.limit ?? 100) || 100));
    let offset = 0;
    if (args.cursor !== undefined && args.cursor !== '') {
      const decoded = /^offset:(\d+)$/.exec(Buffer.from(String(args.cursor), 'base64').toString('utf8'));
      if (!decoded) return fail('invalid_cursor');
      offset = Number(decoded[1]);
    }
    const inRange = messages
      .filter((m) => m.channel === channel)
      .filter((m) => {
        const ts = Number(m.ts);
        return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest);
      })
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    const page = inRange.slice(offset, offset + limit);
    const hasMore = offset + limit < inRange.length;
    return ok({
      messages: page.map((m) => ({
        type: 'message',
        subtype: 'bot_message',
        bot_id: 'B0LOCALBOT',
        text: m.text,
        ts: m.ts,
        ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
        ...(m.reactions.size > 0 ? { reactions: [...m.reactions].map((name) => ({ name, count: 1, users: ['U0LOCALBOT'] })) } : {}),
      })),
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' },
    });
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
    useClock(clock: () => Date) {
      now = clock;
    },
    reset() {
      reset();
      messages.length = 0;
      refusals.length = 0;
    },
  });
}

/**
 * What Block Kit refuses (https://docs.slack.dev/reference/block-kit/blocks, its limits): at most 50
 * blocks, each with a `type`; a section's text at most 3000 characters; an actions block at most 25
 * elements; a button's `action_id` at most 255 characters and unique within the message, its text
 * plain_text of at most 75, its value at most 2000. The first problem, or undefined.
 */
function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50) return 'blocks must be 1 to 50 blocks';
  const actionIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block) || typeof block.type !== 'string') return `blocks[${index}] has no type`;
    if (block.type === 'section') {
      const text = block.text;
      if (!isObject(text) || !['plain_text', 'mrkdwn'].includes(String(text.type)) || typeof text.text !== 'string' || text.text.length > 3000) return `blocks[${index}].text is invalid`;
    }
    if (block.type === 'actions') {
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) return `blocks[${index}].elements must be 1 to 25 elements`;
      for (const [at, element] of block.elements.entries()) {
        if (!isObject(element) || element.type !== 'button') return `blocks[${index}].elements[${at}] is not a button`;
        const label = element.text;
        if (!isObject(label) || label.type !== 'plain_text' || typeof label.text !== 'string' || label.text.length === 0 || label.text.length > 75) return `blocks[${index}].elements[${at}].text is invalid`;
        if (typeof element.action_id !== 'string' || element.action_id.length > 255 || actionIds.has(element.action_id)) return `blocks[${index}].elements[${at}].action_id is invalid or repeated`;
        actionIds.add(element.action_id);
        if (element.value !== undefined && (typeof element.value !== 'string' || element.value.length > 2000)) return `blocks[${index}].elements[${at}].value is invalid`;
        if (element.style !== undefined && !['primary', 'danger'].includes(String(element.style))) return `blocks[${index}].elements[${at}].style is invalid`;
      }
    }
  }
  return undefined;
}
