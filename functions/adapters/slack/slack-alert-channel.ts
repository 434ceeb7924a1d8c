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
 * - Direct notifications (`notifyPerson`): chat.postMessage with the person's Slack member id as
 *   `channel` posts in the app's direct conversation with them (the answer's `channel` is that `D…`
 *   conversation); scope `chat:write`. The member id comes from the people directory (`slackUser`);
 *   for someone missing from it, the account record's id must be a Slack member id.
 *
 * Idempotency: chat.postMessage has no idempotency key. The key travels in the message's `metadata`
 * (`cs_playbooks_alert`) so a duplicate is identifiable in the channel, and the caller stores the
 * returned reference in the ledger, so a retry of a step whose post was recorded never posts again.
 * The remaining window (Slack posted, the answer was lost) can duplicate an alert; it cannot lose
 * one, which is the invariant that matters here ("no alert is lost"). reactions.add is idempotent
 * by nature: `already_reacted` is success.
 */
import type { AlertAcknowledgement, AlertChannel, AlertMessageRef, AlertToPost, DirectNotification } from '../ports.ts';
import { SlackWebApi, type SlackApiConfig } from './slack-web-api.ts';

/** ✅ — seed 001: "this alert has been handled: a task is set or it is resolved". */
export const ACKNOWLEDGED_REACTION = 'white_check_mark';
export const ALERT_METADATA_EVENT_TYPE = 'cs_playbooks_alert';
export const NOTIFICATION_METADATA_EVENT_TYPE = 'cs_playbooks_notification';

/** The bot token needs `chat:write` and `reactions:write`. */
export interface SlackConfig extends SlackApiConfig {
  /** The alert channel's id (`C…`); the bot must be a member of it. */
  alertChannel: string;
}

export class SlackAlertChannel implements AlertChannel {
  private readonly api: SlackWebApi;

  constructor(private readonly config: SlackConfig) {
    this.api = new SlackWebApi(config);
  }

  postAlert(alert: AlertToPost): Promise<AlertMessageRef> {
    return this.api.postMessage(this.config.alertChannel, alert.text, {
      event_type: ALERT_METADATA_EVENT_TYPE,
      event_payload: { idempotency_key: alert.idempotencyKey, account_id: alert.accountId, alert_type: alert.type },
    }, alert.buttons);
  }

  notifyPerson(notification: DirectNotification): Promise<AlertMessageRef> {
    return this.api.postMessage(notification.slackUser ?? notification.recipientId, notification.text, {
      event_type: NOTIFICATION_METADATA_EVENT_TYPE,
      event_payload: { idempotency_key: notification.idempotencyKey, account_id: notification.accountId, topic: notification.topic },
    }, notification.buttons);
  }

  async acknowledge(acknowledgement: AlertAcknowledgement): Promise<void> {
    await this.api.call(
      'reactions.add',
      { channel: acknowledgement.message.channel, timestamp: acknowledgement.message.ts, name: ACKNOWLEDGED_REACTION },
      { benignErrors: ['already_reacted'] },
    );
  }
}
