/**
 * One Slack Web API method call with `fetch` (no SDK), classified the way every port expects
 * (vendor-errors.ts). Shared by the alert channel and the finance channel.
 *
 * Contracts followed (Slack docs):
 * - https://docs.slack.dev/apis/web-api — the token goes in `Authorization: Bearer …`; a JSON POST body
 *   needs `Content-Type: application/json; charset=utf-8`; read methods also take their arguments as a
 *   query string on GET; most failures come back as HTTP 200 with `{ ok: false, error }`.
 * - https://docs.slack.dev/apis/web-api/rate-limits — over the limit, HTTP 429 with `Retry-After` (seconds).
 */
import type { MessageButton } from '../../contracts/buttons.ts';
import { isRetryableStatus, refusal, retryAfterSeconds, safeCode, VendorRejected, VendorUnavailable } from '../vendor-errors.ts';
import { callVendor, isRecord, type Fetch } from '../vendor-http.ts';

export const SLACK_API_URL = 'https://slack.com/api';

/** `ok:false` answers that are Slack's trouble, not ours: worth a retry. */
const RETRYABLE_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export interface SlackApiConfig {
  /** Bot token (`xoxb-…`), from Secrets Manager on AWS. */
  botToken: string;
  /** Defaults to https://slack.com/api; the tests point it at a local server. */
  apiUrl?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: Fetch | undefined;
  now(): Date;
}

export class SlackWebApi {
  private readonly apiUrl: string;

  constructor(private readonly config: SlackApiConfig) {
    this.apiUrl = (config.apiUrl ?? SLACK_API_URL).replace(/\/+$/, '');
  }

  /**
   * Calls `method`; resolves with the answer when `ok`, or when its error is benign here. `read` sends
   * the arguments as a GET query string (every read method accepts it; not all accept JSON bodies).
   */
  async call(method: string, args: Record<string, unknown>, options: { benignErrors?: readonly string[]; read?: boolean } = {}): Promise<Record<string, unknown>> {
    const authorization = { Authorization: `Bearer ${this.config.botToken}` };
    const query = new URLSearchParams(Object.entries(args).map(([name, value]): [string, string] => [name, String(value)])).toString();
    const answer = await callVendor({
      vendor: 'slack',
      operation: method,
      ...(options.read
        ? { method: 'GET' as const, url: `${this.apiUrl}/${method}?${query}`, headers: authorization }
        : {
            method: 'POST' as const,
            url: `${this.apiUrl}/${method}`,
            headers: { ...authorization, 'Content-Type': 'application/json; charset=utf-8' },
            body: JSON.stringify(args),
          }),
      timeoutMs: this.config.timeoutMs,
      fetch: this.config.fetch,
    });
    const body = isRecord(answer.json) ? answer.json : undefined;
    const code = safeCode(body?.error);
    const unavailable = (status: number, why: string | undefined) =>
      new VendorUnavailable({ vendor: 'slack', operation: method, status, code: why, retryAfterSeconds: retryAfterSeconds(answer.headers.get('retry-after'), this.config.now()) });
    if (isRetryableStatus(answer.status)) throw unavailable(answer.status, code);
    if (answer.status !== 200) throw refusal({ vendor: 'slack', operation: method, status: answer.status, code });
    // A 200 that is not a Web API answer comes from something in between (a proxy page): transient.
    if (!body || typeof body.ok !== 'boolean') throw new VendorUnavailable({ vendor: 'slack', operation: method, status: 200, code: 'not_a_web_api_answer' });
    if (body.ok) return body;
    if (code !== undefined && options.benignErrors?.includes(code)) return body;
    if (code !== undefined && RETRYABLE_ERRORS.has(code)) throw unavailable(200, code);
    throw refusal({ vendor: 'slack', operation: method, status: 200, code: code ?? 'unknown_error' });
  }

  /**
   * `chat.postMessage` of plain text (escaped, no link previews) with its message metadata: what every
   * port posts. Resolves with where it was posted; an answer without a `ts` is refused, since a message
   * that cannot be found again can be neither acknowledged nor recognised on a retry: a person looks.
   */
  async postMessage(
    channel: string,
    text: string,
    metadata: { event_type: string; event_payload: Record<string, string> },
    buttons: readonly MessageButton[] = [],
  ): Promise<{ channel: string; ts: string }> {
    const answer = await this.call('chat.postMessage', {
      channel,
      // With blocks, `text` is what notifications and screen readers show.
      text: escapeText(text),
      ...(buttons.length > 0 ? { blocks: blocksWithButtons(text, buttons) } : {}),
      unfurl_links: false,
      unfurl_media: false,
      metadata,
    });
    if (typeof answer.channel !== 'string' || typeof answer.ts !== 'string') {
      throw new VendorRejected({ vendor: 'slack', operation: 'chat.postMessage', status: 200, code: 'missing_ts' });
    }
    return { channel: answer.channel, ts: answer.ts };
  }
}

/**
 * Block Kit (https://docs.slack.dev/reference/block-kit/blocks/section-block,
 * https://docs.slack.dev/reference/block-kit/blocks/actions-block,
 * https://docs.slack.dev/reference/block-kit/block-elements/button-element): the text as a section of
 * plain text (at most 3000 characters: longer text is cut, the full text stays in `text`), then an
 * actions block of buttons, each with our `action_id` and its value as JSON (at most 2000 characters).
 */
export function blocksWithButtons(text: string, buttons: readonly MessageButton[]): unknown[] {
  return [
    { type: 'section', text: { type: 'plain_text', text: text.length > 3000 ? `${text.slice(0, 2999)}…` : text, emoji: true } },
    {
      type: 'actions',
      elements: buttons.map((button) => ({
        type: 'button',
        action_id: button.action,
        text: { type: 'plain_text', text: button.label.slice(0, 75), emoji: true },
        value: JSON.stringify(button.value),
        ...(button.style ? { style: button.style } : {}),
      })),
    },
  ];
}

/** Message text is plain text: an account called "A&B <Paris>" must not turn into a link or a mention. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
