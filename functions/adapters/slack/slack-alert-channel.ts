/**
 * The alert channel on the Slack Web API, with `fetch` (no SDK).
 *
 * Contracts followed (Slack docs):
 * - https://docs.slack.dev/reference/methods/chat.postMessage — `channel` + `text` (+ `metadata`
 *   `{ event_type, event_payload }`); answers `{ ok, channel, ts, message }`; scope `chat:write`.
 * - https://docs.slack.dev/reference/methods/reactions.add — `channel`, `timestamp`, `name` (emoji
 *   name without colons); `already_reacted` means the reaction is there; scope `reactions:write`.
 * - https://docs.slack.dev/apis/web-api — JSON POST bodies need the token as
 *   `Authorization: Bearer …` and `Content-Type: application/json; charset=utf-8`; most failures
 *   come back as HTTP 200 with `{ ok: false, error }`.
 * - https://docs.slack.dev/apis/web-api/rate-limits — over the limit, HTTP 429 with `Retry-After`
 *   (seconds); chat.postMessage allows about one message per second per channel.
 * - https://docs.slack.dev/messaging/formatting-message-text — `&`, `<` and `>` in `text` must be
 *   escaped as `&amp;`, `&lt;`, `&gt;` (else `<…>` becomes a link or a mention).
 *
 * Idempotency: chat.postMessage has no idempotency key. The key travels in the message's `metadata`
 * (`cs_playbooks_alert`) so a duplicate is identifiable in the channel, and the caller stores the
 * returned reference in the ledger, so a retry of a step whose post was recorded never posts again.
 * The remaining window (Slack posted, the answer was lost) can duplicate an alert; it cannot lose
 * one, which is the invariant that matters here ("no alert is lost"). reactions.add is idempotent
 * by nature: `already_reacted` is success.
 */
import type { AlertAcknowledgement, AlertChannel, AlertMessageRef, AlertToPost } from '../ports.ts';
import { isRetryableStatus, refusal, retryAfterSeconds, safeCode, VendorRejected, VendorUnavailable } from '../vendor-errors.ts';
import { callVendor, isRecord, type Fetch } from '../vendor-http.ts';

export const SLACK_API_URL = 'https://slack.com/api';
/** ✅ — seed 001: "this alert has been handled: a task is set or it is resolved". */
export const ACKNOWLEDGED_REACTION = 'white_check_mark';
export const ALERT_METADATA_EVENT_TYPE = 'cs_playbooks_alert';

/** `ok:false` answers that are Slack's trouble, not ours: worth a retry. */
const RETRYABLE_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export interface SlackConfig {
  /** Bot token (`xoxb-…`) with `chat:write` and `reactions:write`, from Secrets Manager on AWS. */
  botToken: string;
  /** The alert channel's id (`C…`); the bot must be a member of it. */
  alertChannel: string;
  /** Defaults to https://slack.com/api; the tests point it at a local server. */
  apiUrl?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: Fetch | undefined;
  now(): Date;
}

export class SlackAlertChannel implements AlertChannel {
  private readonly apiUrl: string;

  constructor(private readonly config: SlackConfig) {
    this.apiUrl = (config.apiUrl ?? SLACK_API_URL).replace(/\/+$/, '');
  }

  async postAlert(alert: AlertToPost): Promise<AlertMessageRef> {
    const answer = await this.call('chat.postMessage', {
      channel: this.config.alertChannel,
      text: escapeText(alert.text),
      // An alert is read in the channel; previews of links in it would only add noise.
      unfurl_links: false,
      unfurl_media: false,
      metadata: {
        event_type: ALERT_METADATA_EVENT_TYPE,
        event_payload: { idempotency_key: alert.idempotencyKey, account_id: alert.accountId, alert_type: alert.type },
      },
    });
    const { channel, ts } = answer;
    if (typeof channel !== 'string' || typeof ts !== 'string') {
      // Posted, perhaps, but without a reference the alert could never be acknowledged: a person looks.
      throw new VendorRejected({ vendor: 'slack', operation: 'chat.postMessage', status: 200, code: 'missing_ts' });
    }
    return { channel, ts };
  }

  async acknowledge(acknowledgement: AlertAcknowledgement): Promise<void> {
    await this.call(
      'reactions.add',
      { channel: acknowledgement.message.channel, timestamp: acknowledgement.message.ts, name: ACKNOWLEDGED_REACTION },
      ['already_reacted'],
    );
  }

  /** One Web API method call; resolves with the answer when `ok`, or when its error is benign here. */
  private async call(method: string, args: Record<string, unknown>, benignErrors: readonly string[] = []): Promise<Record<string, unknown>> {
    const answer = await callVendor({
      vendor: 'slack',
      operation: method,
      method: 'POST',
      url: `${this.apiUrl}/${method}`,
      headers: {
        Authorization: `Bearer ${this.config.botToken}`,
        'Content-Type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify(args),
      timeoutMs: this.config.timeoutMs,
      fetch: this.config.fetch,
    });
    const body = isRecord(answer.json) ? answer.json : undefined;
    const code = safeCode(body?.error);
    if (isRetryableStatus(answer.status)) {
      throw new VendorUnavailable({
        vendor: 'slack',
        operation: method,
        status: answer.status,
        code,
        retryAfterSeconds: retryAfterSeconds(answer.headers.get('retry-after'), this.config.now()),
      });
    }
    if (answer.status !== 200) throw refusal({ vendor: 'slack', operation: method, status: answer.status, code });
    // A 200 that is not a Web API answer comes from something in between (a proxy page): transient.
    if (!body || typeof body.ok !== 'boolean') throw new VendorUnavailable({ vendor: 'slack', operation: method, status: 200, code: 'not_a_web_api_answer' });
    if (body.ok) return body;
    if (code !== undefined && benignErrors.includes(code)) return body;
    if (code !== undefined && RETRYABLE_ERRORS.has(code)) {
      throw new VendorUnavailable({
        vendor: 'slack',
        operation: method,
        status: 200,
        code,
        retryAfterSeconds: retryAfterSeconds(answer.headers.get('retry-after'), this.config.now()),
      });
    }
    throw refusal({ vendor: 'slack', operation: method, status: 200, code: code ?? 'unknown_error' });
  }
}

/** Alert text is plain text: an account called "A&B <Paris>" must not turn into a link or a mention. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
