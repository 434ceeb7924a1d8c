/**
 * The finance channel on the Slack Web API (seed 001: "faire un slack finance-support pour demander le
 * remboursement"), with `fetch` (no SDK): a refund request is posted once, and found again.
 *
 * Contracts followed (Slack docs):
 * - https://docs.slack.dev/reference/methods/chat.postMessage — `channel`, `text`, `metadata`
 *   `{ event_type, event_payload }` (message metadata: data for apps, not shown to people); scope `chat:write`.
 * - https://docs.slack.dev/reference/methods/conversations.history — GET with `channel`, `oldest` (a
 *   message timestamp: messages after it), `limit` (≤ 999, 200 recommended), `cursor`,
 *   `include_all_metadata` (the messages' metadata, absent otherwise); answers `{ ok, messages (newest
 *   first), has_more, response_metadata: { next_cursor } }`; scope `channels:history` (public channel)
 *   or `groups:history` (private channel), and the bot must be a member.
 * - https://docs.slack.dev/messaging/message-metadata — `event_type` names the app's event, `event_payload`
 *   carries its data.
 *
 * Idempotency: chat.postMessage has no idempotency key. The refund id travels in the message's
 * metadata, and `findRefundRequest` looks for it in the channel's history since the refund was recorded:
 * what lets a retry after a crash between the post and its record find the message instead of posting
 * a second one (functions/core/pre-churn/refund.ts has the whole protocol).
 */
import type { FinanceChannel, FinanceMessageRef, RefundRequestToPost } from '../ports.ts';
import { VendorRejected } from '../vendor-errors.ts';
import { isRecord } from '../vendor-http.ts';
import { SlackWebApi, type SlackApiConfig } from './slack-web-api.ts';

export const REFUND_METADATA_EVENT_TYPE = 'cs_playbooks_refund_request';

/** Slack's clock and ours may differ by a little: the search starts this much before the record. */
export const HISTORY_CLOCK_MARGIN_MS = 5 * 60 * 1000;
/** Slack's recommended page size. */
const PAGE_SIZE = 200;
/**
 * Enough for days of a busy finance channel. Beyond it the search cannot say "not posted", so it
 * refuses (a person checks the channel) rather than risk a second refund request.
 */
const MAX_PAGES = 10;

/** The bot token needs `chat:write` and `channels:history` (or `groups:history`). */
export interface SlackFinanceConfig extends SlackApiConfig {
  /** The finance channel's id (`C…`); the bot must be a member of it. */
  financeChannel: string;
}

export class SlackFinanceChannel implements FinanceChannel {
  private readonly api: SlackWebApi;

  constructor(private readonly config: SlackFinanceConfig) {
    this.api = new SlackWebApi(config);
  }

  async postRefundRequest(request: RefundRequestToPost): Promise<FinanceMessageRef> {
    return this.api.postMessage(this.config.financeChannel, request.text, {
      event_type: REFUND_METADATA_EVENT_TYPE,
      event_payload: { refund_id: request.idempotencyKey, case_id: request.caseId, account_id: request.accountId },
    });
  }

  async findRefundRequest(query: { idempotencyKey: string; accountId: string; since: string }): Promise<FinanceMessageRef | undefined> {
    const oldest = slackTimestamp(Date.parse(query.since) - HISTORY_CLOCK_MARGIN_MS);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.api.call(
        'conversations.history',
        { channel: this.config.financeChannel, oldest, limit: PAGE_SIZE, include_all_metadata: true, ...(cursor ? { cursor } : {}) },
        { read: true },
      );
      const messages = Array.isArray(answer.messages) ? answer.messages : [];
      const found = messages.find((message) => isRefundRequest(message, query.idempotencyKey));
      if (found) return { channel: this.config.financeChannel, ts: found.ts as string };
      const next = isRecord(answer.response_metadata) ? answer.response_metadata.next_cursor : undefined;
      if (answer.has_more !== true || typeof next !== 'string' || next.length === 0) return undefined;
      cursor = next;
    }
    throw new VendorRejected({ vendor: 'slack', operation: 'conversations.history', status: 200, code: 'history_too_long_to_search' });
  }
}

function isRefundRequest(message: unknown, refundId: string): message is { ts: string } {
  if (!isRecord(message) || typeof message.ts !== 'string' || !isRecord(message.metadata)) return false;
  const { event_type, event_payload } = message.metadata;
  return event_type === REFUND_METADATA_EVENT_TYPE && isRecord(event_payload) && event_payload.refund_id === refundId;
}

/** Epoch milliseconds as a Slack message timestamp: seconds, a dot, six digits. */
export function slackTimestamp(epochMs: number): string {
  return (Math.max(0, epochMs) / 1000).toFixed(6);
}
