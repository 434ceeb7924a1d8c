import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackAlertChannel } from '../../functions/adapters/slack/slack-alert-channel.ts';
import type { AlertToPost } from '../../functions/adapters/ports.ts';
import { startLocalSlack, type LocalSlack } from '../support/vendors/slack.ts';

// The alert channel against a local Slack Web API (test/support/vendors/slack.ts) that implements
// chat.postMessage and reactions.add as documented and checks the token and the content type.

const BOT_TOKEN = 'xoxb-local-test-token';
const ALERT_CHANNEL = 'C0ALERTS01';

let slack: LocalSlack;

beforeEach(async () => {
  slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [ALERT_CHANNEL], users: ['U0ONBOARD1'] });
});

afterEach(async () => {
  // A protocol mistake (token, content type, charset) must never pass as a vendor error.
  expect(slack.refusals).toEqual([]);
  await slack.close();
});

function channel(overrides: { botToken?: string; alertChannel?: string } = {}) {
  return new SlackAlertChannel({
    botToken: overrides.botToken ?? BOT_TOKEN,
    alertChannel: overrides.alertChannel ?? ALERT_CHANNEL,
    apiUrl: slack.apiUrl,
    now: () => new Date(),
  });
}

const redAlert: AlertToPost = {
  idempotencyKey: 'alert:acc-1:competitor-meeting:evt-42',
  accountId: 'acc-1',
  type: 'red-alert',
  text: 'Red alert: Salon Exemple meets a competitor on Tuesday',
};

describe('posting an alert to the alert channel', () => {
  it('given the alert channel, when an alert is posted, then Slack receives exactly the documented chat.postMessage call', async () => {
    const ref = await channel().postAlert(redAlert);

    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/api/chat.postMessage');
    expect(request!.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request!.body).toEqual({
      channel: ALERT_CHANNEL,
      text: redAlert.text,
      unfurl_links: false,
      unfurl_media: false,
      metadata: {
        event_type: 'cs_playbooks_alert',
        event_payload: { idempotency_key: redAlert.idempotencyKey, account_id: 'acc-1', alert_type: 'red-alert' },
      },
    });
    expect(slack.messages).toHaveLength(1);
    expect(ref).toEqual({ channel: ALERT_CHANNEL, ts: slack.messages[0]!.ts });
  });

  it('given an account name with &, < and >, when an alert is posted, then the text is escaped as Slack requires (no stray link or mention)', async () => {
    await channel().postAlert({ ...redAlert, text: 'Churn risk: Coiffure A&B <Paris> @here' });

    expect((slack.requests[0]!.body as { text: string }).text).toBe('Churn risk: Coiffure A&amp;B &lt;Paris&gt; @here');
  });

  it('given Slack throttles (429, Retry-After: 30), when an alert is posted, then VendorUnavailable carries the Retry-After and nothing is posted', async () => {
    slack.rateLimitNextRequests(1, 30);

    const error = await channel().postAlert(redAlert).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'VendorUnavailable', vendor: 'slack', status: 429, code: 'ratelimited', retryAfterSeconds: 30 });
    expect((error as Error).message).toContain('Retry-After 30 s');
    expect(slack.messages).toHaveLength(0);
  });

  it('given Slack answers 503, when an alert is posted, then VendorUnavailable (the state machine retries) and the retry posts it once', async () => {
    slack.failNextRequests(1, { status: 503, body: '<html>Service Unavailable</html>' });

    await expect(channel().postAlert(redAlert)).rejects.toMatchObject({ name: 'VendorUnavailable', status: 503 });
    const ref = await channel().postAlert(redAlert);

    expect(slack.messages.map((m) => m.ts)).toEqual([ref.ts]);
  });

  it('given Slack answers ok:false internal_error, when an alert is posted, then VendorUnavailable', async () => {
    slack.failNextWithError(1, 'internal_error');

    await expect(channel().postAlert(redAlert)).rejects.toMatchObject({ name: 'VendorUnavailable', status: 200, code: 'internal_error' });
  });

  it('given the bot is pointed at a channel Slack does not know, when an alert is posted, then VendorMisconfigured (ops must fix the set-up)', async () => {
    const error = await channel({ alertChannel: 'C0UNKNOWN1' }).postAlert(redAlert).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'VendorMisconfigured', vendor: 'slack', operation: 'chat.postMessage', code: 'channel_not_found' });
  });

  it('given a revoked token, when an alert is posted, then VendorMisconfigured invalid_auth, and the message names no customer and quotes no text', async () => {
    const error = (await channel({ botToken: 'xoxb-revoked' }).postAlert(redAlert).catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ name: 'VendorMisconfigured', code: 'invalid_auth' });
    expect(error.message).toBe('slack chat.postMessage refused our configuration: HTTP 200 invalid_auth');
    expect(error.message).not.toContain('Salon Exemple');
    expect(slack.refusals).toEqual([{ method: 'chat.postMessage', error: 'invalid_auth' }]);
    slack.reset(); // that refusal is this test's point
  });

  it('given Slack cannot be reached, when an alert is posted, then VendorUnavailable', async () => {
    const unreachable = new SlackAlertChannel({ botToken: BOT_TOKEN, alertChannel: ALERT_CHANNEL, apiUrl: slack.apiUrl, now: () => new Date() });
    await slack.close();
    slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [ALERT_CHANNEL], users: ['U0ONBOARD1'] }); // a new port; the old one refuses connections

    await expect(unreachable.postAlert(redAlert)).rejects.toMatchObject({ name: 'VendorUnavailable', vendor: 'slack', status: undefined });
  });
});

describe('acknowledging an alert with ✅', () => {
  it('given a posted alert, when it is acknowledged, then Slack receives reactions.add with white_check_mark on that message', async () => {
    const alerts = channel();
    const message = await alerts.postAlert(redAlert);

    await alerts.acknowledge({ idempotencyKey: 'ack:alert-1', accountId: 'acc-1', message });

    const request = slack.requests[1]!;
    expect(request.path).toBe('/api/reactions.add');
    expect(request.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.body).toEqual({ channel: ALERT_CHANNEL, timestamp: message.ts, name: 'white_check_mark' });
    expect([...slack.messages[0]!.reactions]).toEqual(['white_check_mark']);
  });

  it('given an alert already marked ✅, when it is acknowledged again (a retried step), then Slack answers already_reacted and that is success', async () => {
    const alerts = channel();
    const message = await alerts.postAlert(redAlert);
    await alerts.acknowledge({ idempotencyKey: 'ack:alert-1', accountId: 'acc-1', message });

    await expect(alerts.acknowledge({ idempotencyKey: 'ack:alert-1', accountId: 'acc-1', message })).resolves.toBeUndefined();

    expect(slack.requests).toHaveLength(3);
    expect([...slack.messages[0]!.reactions]).toEqual(['white_check_mark']);
  });

  it('given Slack throttles reactions (429, Retry-After: 5), when an alert is acknowledged, then VendorUnavailable', async () => {
    const alerts = channel();
    const message = await alerts.postAlert(redAlert);
    slack.rateLimitNextRequests(1, 5);

    await expect(alerts.acknowledge({ idempotencyKey: 'ack:alert-1', accountId: 'acc-1', message })).rejects.toMatchObject({
      name: 'VendorUnavailable',
      operation: 'reactions.add',
      retryAfterSeconds: 5,
    });
  });

  it('given a message that no longer exists, when it is acknowledged, then VendorRejected message_not_found', async () => {
    await expect(channel().acknowledge({ idempotencyKey: 'ack:gone', accountId: 'acc-1', message: { channel: ALERT_CHANNEL, ts: '1700000000.000001' } })).rejects.toMatchObject({
      name: 'VendorRejected',
      code: 'message_not_found',
    });
  });
});

describe('telling one person directly', () => {
  it('given a person’s member id, when they are notified, then chat.postMessage goes to them (their direct conversation), not to the alert channel, with the key in the metadata', async () => {
    const ref = await channel().notifyPerson({ idempotencyKey: 'ntf-1', accountId: 'acc-1', recipientId: 'U0ONBOARD1', topic: 'pre-churn', text: 'Pre-churn: Salon A&B wants to cancel' });

    expect(slack.requests[0]!.body).toEqual({
      channel: 'U0ONBOARD1',
      text: 'Pre-churn: Salon A&amp;B wants to cancel',
      unfurl_links: false,
      unfurl_media: false,
      metadata: { event_type: 'cs_playbooks_notification', event_payload: { idempotency_key: 'ntf-1', account_id: 'acc-1', topic: 'pre-churn' } },
    });
    expect(ref).toEqual({ channel: 'D0ONBOARD1', ts: slack.messages[0]!.ts });
    expect(slack.messages.filter((m) => m.channel === ALERT_CHANNEL)).toEqual([]);
  });

  it('given an id Slack does not know (not a member id), then VendorMisconfigured channel_not_found: the account’s people ids must be Slack member ids', async () => {
    await expect(channel().notifyPerson({ idempotencyKey: 'ntf-2', accountId: 'acc-1', recipientId: '12345', topic: 'pre-churn', text: 'x' })).rejects.toMatchObject({
      name: 'VendorMisconfigured',
      code: 'channel_not_found',
    });
  });
});
