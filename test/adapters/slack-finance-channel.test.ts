import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefundRequestToPost } from '../../functions/adapters/ports.ts';
import { HISTORY_CLOCK_MARGIN_MS, SlackFinanceChannel, slackTimestamp } from '../../functions/adapters/slack/slack-finance-channel.ts';
import { startLocalSlack, type LocalSlack } from '../support/vendors/slack.ts';

// The finance channel against a local Slack Web API (test/support/vendors/slack.ts) that implements
// chat.postMessage and conversations.history as documented, with their scopes, and keeps each message's
// metadata: a refund request is posted with its refund id in the metadata, and found again by it.

const BOT_TOKEN = 'xoxb-local-test-token';
const FINANCE = 'C0FINANCE1';
const OTHER = 'C0ALERTS01';
/** Monday 16 November 2026, 10:00 in Paris: the clock both sides share. */
const NOW = new Date('2026-11-16T09:00:00Z');

let slack: LocalSlack;
let clock: Date;

beforeEach(async () => {
  clock = NOW;
  slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [OTHER], privateChannels: [FINANCE], now: () => clock });
});

afterEach(async () => {
  expect(slack.refusals).toEqual([]);
  await slack.close();
});

const finance = (overrides: { botToken?: string } = {}) =>
  new SlackFinanceChannel({ botToken: overrides.botToken ?? BOT_TOKEN, financeChannel: FINANCE, apiUrl: slack.apiUrl, now: () => clock });

const request = (refundId = 'rfd-0123456789abcdef0123'): RefundRequestToPost => ({
  idempotencyKey: refundId,
  accountId: 'acc-1',
  caseId: 'pch-1',
  text: 'Refund request (pre-churn) — Salon A&B <Lyon>',
});

describe('posting a refund request', () => {
  it('given the finance channel, when a refund request is posted, then Slack receives chat.postMessage with the refund id in the message metadata', async () => {
    const ref = await finance().postRefundRequest(request());

    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.method).toBe('POST');
    expect(slack.requests[0]!.body).toEqual({
      channel: FINANCE,
      text: 'Refund request (pre-churn) — Salon A&amp;B &lt;Lyon&gt;',
      unfurl_links: false,
      unfurl_media: false,
      metadata: { event_type: 'cs_playbooks_refund_request', event_payload: { refund_id: 'rfd-0123456789abcdef0123', case_id: 'pch-1', account_id: 'acc-1' } },
    });
    expect(ref).toEqual({ channel: FINANCE, ts: slack.messages[0]!.ts });
  });

  it('given Slack throttles, when a refund request is posted, then VendorUnavailable with the Retry-After, and nothing is posted', async () => {
    slack.rateLimitNextRequests(1, 20);

    await expect(finance().postRefundRequest(request())).rejects.toMatchObject({ name: 'VendorUnavailable', status: 429, retryAfterSeconds: 20 });
    expect(slack.messages).toEqual([]);
  });

  it('given a token without chat:write, then VendorMisconfigured: for ops, not retried', async () => {
    await slack.close();
    slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [OTHER], privateChannels: [FINANCE], scopes: ['groups:history'], now: () => clock });

    await expect(finance().postRefundRequest(request())).rejects.toMatchObject({ name: 'VendorMisconfigured', code: 'missing_scope' });
  });
});

describe('finding a refund request posted before a crash', () => {
  it('given the request was posted, when it is looked for since its record was created, then conversations.history (GET, the metadata asked for) finds it by refund id', async () => {
    const posted = await finance().postRefundRequest(request());
    clock = new Date(NOW.getTime() + 60_000);

    const found = await finance().findRefundRequest({ idempotencyKey: 'rfd-0123456789abcdef0123', accountId: 'acc-1', since: NOW.toISOString() });

    expect(found).toEqual(posted);
    const search = slack.requests.at(-1)!;
    expect(search.method).toBe('GET');
    expect(search.path).toBe('/api/conversations.history');
    expect(search.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(Object.fromEntries(search.query)).toEqual({
      channel: FINANCE,
      oldest: slackTimestamp(NOW.getTime() - HISTORY_CLOCK_MARGIN_MS),
      limit: '200',
      include_all_metadata: 'true',
    });
  });

  it('given another refund’s request in the channel, and a message a person wrote, then nothing is found for this one', async () => {
    await finance().postRefundRequest(request('rfd-another-one-000000'));
    await fetch(`${slack.apiUrl}/chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${BOT_TOKEN}`, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: FINANCE, text: 'Refund rfd-0123456789abcdef0123 done?' }),
    });

    expect(await finance().findRefundRequest({ idempotencyKey: 'rfd-0123456789abcdef0123', accountId: 'acc-1', since: NOW.toISOString() })).toBeUndefined();
  });

  it('given the request was posted long before the record’s creation time (another case’s window), then the search does not reach back to it', async () => {
    await finance().postRefundRequest(request());
    const muchLater = new Date(NOW.getTime() + 2 * 86_400_000);

    expect(await finance().findRefundRequest({ idempotencyKey: 'rfd-0123456789abcdef0123', accountId: 'acc-1', since: muchLater.toISOString() })).toBeUndefined();
  });

  it('given Slack’s clock a minute behind ours, then the message is still found: the search starts a few minutes early', async () => {
    clock = new Date(NOW.getTime() - 60_000);
    const posted = await finance().postRefundRequest(request());

    expect(await finance().findRefundRequest({ idempotencyKey: 'rfd-0123456789abcdef0123', accountId: 'acc-1', since: NOW.toISOString() })).toEqual(posted);
  });

  it('given more messages since then than one page holds, then the search follows the cursor to the older pages', async () => {
    const posted = await finance().postRefundRequest(request());
    for (let i = 0; i < 250; i++) await finance().postRefundRequest(request(`rfd-other-${String(i).padStart(3, '0')}`));

    expect(await finance().findRefundRequest({ idempotencyKey: 'rfd-0123456789abcdef0123', accountId: 'acc-1', since: NOW.toISOString() })).toEqual(posted);
    const searches = slack.requests.filter((r) => r.path === '/api/conversations.history');
    expect(searches).toHaveLength(2);
    expect(searches[1]!.query.get('cursor')).toEqual(expect.any(String));
  });

  it('given a token without groups:history (the finance channel is private), then VendorMisconfigured naming the scope: never "not found", which would post again', async () => {
    await slack.close();
    slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [OTHER], privateChannels: [FINANCE], scopes: ['chat:write', 'channels:history'], now: () => clock });

    await expect(finance().findRefundRequest({ idempotencyKey: 'rfd-1', accountId: 'acc-1', since: NOW.toISOString() })).rejects.toMatchObject({
      name: 'VendorMisconfigured',
      code: 'missing_scope',
    });
  });

  it('given Slack answers 503 to the search, then VendorUnavailable: the step retries, and posts nothing meanwhile', async () => {
    slack.failNextRequests(1, { status: 503, body: 'Service Unavailable' });

    await expect(finance().findRefundRequest({ idempotencyKey: 'rfd-1', accountId: 'acc-1', since: NOW.toISOString() })).rejects.toMatchObject({ name: 'VendorUnavailable', status: 503 });
    expect(slack.messages).toEqual([]);
  });
});
