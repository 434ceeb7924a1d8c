import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveSettings, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { WebhookRejected } from '../../functions/ingest/vendor.ts';
import { slack } from '../../functions/ingest/vendors/slack.ts';
import { VENDORS } from '../../functions/ingest/vendors/index.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { buttonClick, interactionBody, SLACK_DEVELOPMENT_SECRET, slackHeaders, slackRequest, slackSample, slackTs } from '../support/vendors/slack-webhooks.ts';

// Fixtures (functions/ingest/vendors/samples/slack-*.json), from Slack's own documentation:
// - slack-signature-example.json: the worked example of
//   https://docs.slack.dev/authentication/verifying-requests-from-slack/ (secret, timestamp, body, signature), verbatim;
// - slack-block-actions.json: the "payload from an interactive component used in a message" of
//   https://docs.slack.dev/reference/interaction-payloads/block_actions-payload/, verbatim; the
//   -acknowledge-alert, -approve-email and -reject-email files are the same payload with our buttons'
//   action_id and value (what cs-playbooks puts on its messages);
// - slack-url-verification.json: https://docs.slack.dev/reference/events/url_verification/;
// - slack-event-callback-reaction-added.json: https://docs.slack.dev/reference/events/reaction_added/
//   (event wrapper and event; the page's example has a trailing comma after is_enterprise_install,
//   which is not JSON: dropped).

// The helper signs with the sandbox's development secret unless told otherwise.
const SECRET = SLACK_DEVELOPMENT_SECRET;
const PREVIOUS_SECRET = 'slack test previous signing secret';
const DOC = slackSample<{ signingSecret: string; timestamp: string; body: string; signature: string }>('signature-example');

function ingest(secrets: readonly string[] = [SECRET, PREVIOUS_SECRET], now = () => new Date()) {
  const published: { key: string; events: readonly DomainEventMessage[] }[] = [];
  const deps: IngestDeps = {
    now,
    secrets: async () => secrets,
    publishOnce: async (key, events) => void published.push({ key, events }),
  };
  return { published, deps };
}

const form = (payload: unknown) => interactionBody(payload);

describe('Slack: the signature (v0, HMAC-SHA256 of "v0:<timestamp>:<body>")', () => {
  it("given Slack's documented example (secret, timestamp, body), when it is verified at its own time, then its documented signature is accepted", () => {
    const request = {
      method: 'POST',
      url: 'https://api.example.com/webhooks/slack',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': DOC.timestamp, 'x-slack-signature': DOC.signature },
      rawBody: Buffer.from(DOC.body, 'utf8'),
    };
    expect(slack.verify(request, [DOC.signingSecret], new Date(Number(DOC.timestamp) * 1000 + 30_000))).toEqual({ verified: true });
    expect(slack.verify({ ...request, rawBody: Buffer.from(DOC.body.replace('foobar', 'foobaz')) }, [DOC.signingSecret], new Date(Number(DOC.timestamp) * 1000))).toEqual({
      verified: false,
      error: expect.stringMatching(/Signature rejected/),
    });
  });

  it('given the previous secret (second in the list) signed it during a rotation, then it is accepted', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions')), { secret: PREVIOUS_SECRET }), deps);
    expect(response.statusCode).toBe(200);
  });

  it('given one byte of the body changed after signing, then 401', async () => {
    const { deps, published } = ingest();
    const body = form(slackSample('block-actions-acknowledge-alert'));
    const request = slackRequest(body);
    request.rawBody = Buffer.from(body.replace('UA8RXUSPL', 'UA8RXUSPM'), 'utf8');
    const response = await receiveWebhook('slack', request, deps);
    expect(response).toEqual({ statusCode: 401, body: { error: expect.stringMatching(/Signature rejected/) } });
    expect(published).toEqual([]);
  });

  it.each([
    ['six minutes old', -6 * 60_000, /s old; the window is 300 s/],
    ['six minutes in the future', 6 * 60_000, /in the future; the window is 300 s/],
  ])('given a timestamp %s, then 401 saying so', async (_, offset, error) => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions')), { signedAt: new Date(Date.now() + offset) }), deps);
    expect(response).toEqual({ statusCode: 401, body: { error: expect.stringMatching(error) } });
  });

  it('given a timestamp four minutes old, then it is accepted', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions')), { signedAt: new Date(Date.now() - 4 * 60_000) }), deps);
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['x-slack-signature', /Missing X-Slack-Signature/],
    ['x-slack-request-timestamp', /Missing X-Slack-Request-Timestamp/],
  ])('given no %s header, then 401 naming it', async (header, error) => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions')), {}, { [header]: undefined }), deps);
    expect(response).toEqual({ statusCode: 401, body: { error: expect.stringMatching(error) } });
  });

  it('given a timestamp that is not Unix seconds, then 401', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions')), {}, { 'x-slack-request-timestamp': '2026-11-20T10:00:00Z' }), deps);
    expect(response).toEqual({ statusCode: 401, body: { error: 'X-Slack-Request-Timestamp is not a Unix time in seconds' } });
  });

  it('given a secret nobody configured signed it, then 401', async () => {
    const { deps } = ingest();
    expect((await receiveWebhook('slack', slackRequest(form(slackSample('block-actions')), { secret: 'a stranger' }), deps)).statusCode).toBe(401);
  });

  it('given random headers and bodies, then verify never throws and never verifies', () => {
    const random = (length: number) => Buffer.from(Array.from({ length }, () => Math.floor(Math.random() * 256)));
    const headerValues = [undefined, '', 'v0=', 'v0=zz', '1531420618', String(Math.floor(Date.now() / 1000)), '-1', '1e3', 'NaN', ' '];
    for (let i = 0; i < 2_000; i += 1) {
      const pick = () => (Math.random() < 0.3 ? random(Math.floor(Math.random() * 80)).toString('latin1') : headerValues[Math.floor(Math.random() * headerValues.length)]);
      const request = { method: 'POST', url: 'https://api.example.com/webhooks/slack', headers: { 'x-slack-signature': pick(), 'x-slack-request-timestamp': pick() }, rawBody: random(Math.floor(Math.random() * 300)) };
      expect(slack.verify(request, [SECRET], new Date()).verified).toBe(false);
    }
  });
});

describe('Slack interactivity: block_actions button clicks', () => {
  it('given the ✅ button on an alert post is clicked (the documented payload, our action), then 200 and one AlertAcknowledged', async () => {
    const { deps, published } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions-acknowledge-alert'))), deps);
    const eventId = 'slack:1548426417.840180';
    expect(response).toEqual({ statusCode: 200, body: { accepted: true, eventId, type: 'AlertAcknowledged', events: [{ eventId, type: 'AlertAcknowledged' }] } });
    expect(published).toEqual([
      {
        key: `slack#${eventId}`,
        events: [
          {
            type: 'AlertAcknowledged',
            timestamp: '2019-01-25T14:26:57.840Z',
            data: { eventId, accountId: 'acc-salon-lumiere', alertId: 'alr-0123456789abcdef0123', by: 'UA8RXUSPL', at: '2019-01-25T14:26:57.840Z' },
          },
        ],
      },
    ]);
  });

  it('given the 💤 button under a threshold alert is clicked, then 200 and one AlertSnoozed until 30 days after the click\'s date, the alert named', async () => {
    const { deps, published } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions-snooze-alert'))), deps);
    const eventId = 'slack:1548426417.840180';
    expect(response).toMatchObject({ statusCode: 200, body: { accepted: true, eventId, type: 'AlertSnoozed' } });
    expect(published[0]!.events[0]).toMatchObject({
      type: 'AlertSnoozed',
      data: { eventId, accountId: 'acc-salon-lumiere', alertType: 'no-exchange', until: '2019-02-24', alertId: 'alr-0123456789abcdef0123', by: 'UA8RXUSPL', at: '2019-01-25T14:26:57.840Z' },
    });
  });

  it('given a 💤 button whose value names no threshold alert, then 400 naming the field', async () => {
    const payload = slackSample<{ actions: { value: string }[] }>('block-actions-snooze-alert');
    payload.actions[0]!.value = JSON.stringify({ accountId: 'acc-salon-lumiere', alertId: 'alr-0123456789abcdef0123', alertType: 'churn-risk', days: '30' });
    const { deps, published } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(payload)), deps);
    expect(response).toMatchObject({ statusCode: 400, body: { error: expect.stringMatching(/alertType/) } });
    expect(published).toEqual([]);
  });

  it.each([
    ['block-actions-approve-email', 'approve'],
    ['block-actions-reject-email', 'cancel'],
  ])('given the %s button on an approval message is clicked, then one ApprovalDecided with decision %s', async (fixture, decision) => {
    const { deps, published } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample(fixture))), deps);
    expect(response.statusCode).toBe(200);
    expect(published.flatMap((p) => p.events)).toEqual([
      {
        type: 'ApprovalDecided',
        timestamp: '2019-01-25T14:26:57.840Z',
        data: {
          eventId: 'slack:1548426417.840180',
          accountId: 'acc-salon-lumiere',
          approvalId: 'apr-0123456789abcdef0123',
          decision,
          decidedBy: 'UA8RXUSPL',
          at: '2019-01-25T14:26:57.840Z',
        },
      },
    ]);
  });

  it("given the documented payload as is (a button that is not ours, action_id WaXA), then 200, nothing published, and the action named as ignored", async () => {
    const { deps, published } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions'))), deps);
    expect(response).toEqual({ statusCode: 200, body: { accepted: true, events: [], ignored: ['payload.actions[0].action_id "WaXA": not a cs-playbooks button'] } });
    expect(published).toEqual([]);
  });

  it('given another interaction type (a view_submission), then 200 and ignored', async () => {
    const { deps, published } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form({ type: 'view_submission', user: { id: 'UA8RXUSPL' }, view: {} })), deps);
    expect(response).toEqual({ statusCode: 200, body: { accepted: true, events: [], ignored: [expect.stringMatching(/^payload\.type view_submission: only block_actions/)] } });
    expect(published).toEqual([]);
  });

  it('given a click without action_ts, then the event id is the trigger_id', async () => {
    const now = new Date('2026-11-20T16:05:00.000Z');
    const { deps, published } = ingest(undefined, () => now);
    const payload = slackSample<{ actions: Record<string, unknown>[] }>('block-actions-acknowledge-alert');
    delete payload.actions[0]!.action_ts;
    await receiveWebhook('slack', slackRequest(form(payload), { signedAt: now }), deps);
    expect(published[0]!.events[0]!.data).toMatchObject({ eventId: 'slack:12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3', at: '2026-11-20T16:05:00.000Z' });
  });
});

describe('Slack Events API (JSON)', () => {
  it('given the url_verification handshake, then 200 with the challenge and nothing published', async () => {
    const { deps, published } = ingest();
    const body = JSON.stringify(slackSample('url-verification'));
    const response = await receiveWebhook('slack', slackRequest(body, { contentType: 'application/json' }), deps);
    expect(response).toEqual({ statusCode: 200, body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' } });
    expect(published).toEqual([]);
  });

  it('given a url_verification handshake with a bad signature, then 401 (no challenge is echoed unverified)', async () => {
    const { deps } = ingest();
    const body = JSON.stringify(slackSample('url-verification'));
    expect((await receiveWebhook('slack', slackRequest(body, { contentType: 'application/json', secret: 'a stranger' }), deps)).statusCode).toBe(401);
  });

  it.each([
    ['thumbsup', /^event\.type reaction_added: no playbook reads it$/],
    ['white_check_mark', /^event\.reaction_added white_check_mark: the reaction names a message \(channel, ts\), not its alert/],
  ])('given a reaction_added %s event (the documented example), then 200, nothing published, and the reason', async (reaction, reason) => {
    const { deps, published } = ingest();
    const callback = slackSample<{ event: { reaction: string } }>('event-callback-reaction-added');
    callback.event.reaction = reaction;
    const response = await receiveWebhook('slack', slackRequest(JSON.stringify(callback), { contentType: 'application/json; charset=utf-8' }), deps);
    expect(response).toEqual({ statusCode: 200, body: { accepted: true, events: [], ignored: [expect.stringMatching(reason)] } });
    expect(published).toEqual([]);
  });
});

describe('Slack: bodies that are not what Slack documents', () => {
  it('given a form without a payload field, then 400 naming payload', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest('token=abc&team_id=T1'), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: expect.any(String), details: ['payload: missing'] } });
  });

  it('given a payload that is not JSON, then 400 naming payload, without quoting it', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest('payload=%7B%22type%22%3A%20jane%40example.com'), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: 'payload is not valid JSON', details: ['payload: not valid JSON'] } });
    expect(JSON.stringify(response.body)).not.toContain('jane');
  });

  it('given an Events API body that is not JSON, then 400', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest('{"type": ', { contentType: 'application/json' }), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: 'body is not valid JSON', details: ['body: not valid JSON'] } });
  });

  it('given a click without the user, then 400 naming payload.user', async () => {
    const { deps } = ingest();
    const payload = slackSample<Record<string, unknown>>('block-actions-acknowledge-alert');
    delete payload.user;
    const response = await receiveWebhook('slack', slackRequest(form(payload)), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: expect.any(String), details: [expect.stringMatching(/^payload\.user: /)] } });
  });

  it('given our ✅ button whose value lacks the alertId, then 400 naming payload.actions[0].value.alertId', async () => {
    const { deps, published } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(buttonClick('acknowledge_alert', { accountId: 'acc-salon-lumiere' }))), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: expect.any(String), details: [expect.stringMatching(/^payload\.actions\[0\]\.value\.alertId: /)] } });
    expect(published).toEqual([]);
  });

  it('given an approve button whose approvalId is not an approval id, then 400 naming it', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(buttonClick('approve_email', { accountId: 'acc-salon-lumiere', approvalId: 'apr-nope' }))), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: expect.any(String), details: ['payload.actions[0].value.approvalId: expected an approval id, apr- then 20 hex digits'] } });
  });

  it('given our button whose value is not JSON, then 400 naming the value', async () => {
    const { deps } = ingest();
    const payload = slackSample<{ actions: Record<string, unknown>[] }>('block-actions-acknowledge-alert');
    payload.actions[0]!.value = 'acc-salon-lumiere/alr-1';
    const response = await receiveWebhook('slack', slackRequest(form(payload)), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: expect.any(String), details: ['payload.actions[0].value: not valid JSON'] } });
  });

  it('given an event_callback without its event_id, then 400 naming event_id', async () => {
    const { deps } = ingest();
    const callback = slackSample<Record<string, unknown>>('event-callback-reaction-added');
    delete callback.event_id;
    const response = await receiveWebhook('slack', slackRequest(JSON.stringify(callback), { contentType: 'application/json' }), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: expect.any(String), details: [expect.stringMatching(/^event_id: /)] } });
  });

  it('given a url_verification without its challenge, then 400 naming challenge', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(JSON.stringify({ type: 'url_verification' }), { contentType: 'application/json' }), deps);
    expect(response).toEqual({ statusCode: 400, body: { error: expect.any(String), details: [expect.stringMatching(/^challenge: /)] } });
  });

  it('given a content type Slack does not send, then 415', async () => {
    const { deps } = ingest();
    const response = await receiveWebhook('slack', slackRequest(form(slackSample('block-actions')), { contentType: 'text/plain' }), deps);
    expect(response.statusCode).toBe(415);
  });

  it('given random bodies, correctly signed, of either content type, then translate answers 200 or 400, never anything else', async () => {
    const { deps } = ingest();
    const shapes = [
      () => Buffer.from(Array.from({ length: Math.floor(Math.random() * 200) }, () => Math.floor(Math.random() * 256))).toString('latin1'),
      () => form(mutate(slackSample('block-actions-acknowledge-alert'))),
      () => JSON.stringify(mutate(slackSample('event-callback-reaction-added'))),
      () => form(mutate(buttonClick('approve_email', { accountId: 'a', approvalId: 'apr-0123456789abcdef0123' }))),
    ];
    for (let i = 0; i < 1_000; i += 1) {
      const body = shapes[i % shapes.length]!();
      const contentType = Math.random() < 0.5 ? 'application/json' : 'application/x-www-form-urlencoded';
      const request = slackRequest(body, { secret: SECRET, contentType });
      const response = await receiveWebhook('slack', request, deps);
      expect([200, 400]).toContain(response.statusCode);
      // A 400 comes from a refusal that names the field, never from a translator's own bug.
      try {
        slack.translate(request, { now: new Date() });
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookRejected);
      }
    }
  });
});

/** The value with one field, anywhere, replaced by something of another type. */
function mutate(value: unknown): unknown {
  const replacements = [null, 0, '', 'x', [], {}, true, -1.5, '9'.repeat(20)];
  const pick = () => replacements[Math.floor(Math.random() * replacements.length)];
  if (Array.isArray(value)) return value.map((item) => (Math.random() < 0.3 ? pick() : mutate(item)));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (Math.random() < 0.1 ? [] : [[key, Math.random() < 0.15 ? pick() : mutate(item)]])));
  }
  return value;
}

describe('given the sandbox is running and Slack posts to it', () => {
  const SANDBOX_SECRET = 'slack sandbox test secret';
  let sandbox: Sandbox;
  let server: SandboxServer;

  beforeAll(async () => {
    sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings() });
    server = await startServer(sandbox, { port: 0, secrets: (vendor) => (vendor === 'slack' ? [SANDBOX_SECRET] : []) });
  });

  afterAll(async () => {
    await server?.close();
    await sandbox?.stop();
  });

  const post = (body: string, contentType?: string) =>
    fetch(`${server.url}/webhooks/slack`, { method: 'POST', headers: slackHeaders(body, { secret: SANDBOX_SECRET, ...(contentType ? { contentType } : {}) }), body });

  it('when the same click is delivered twice, then both are answered 200 and its event reaches the bus once', async () => {
    const publish = vi.spyOn(sandbox, 'publishAll');
    const body = form(buttonClick('acknowledge_alert', { accountId: 'acc-nowhere', alertId: 'alr-0123456789abcdef0123' }, { actionTs: slackTs(new Date()) }));
    const first = await post(body);
    const second = await post(body);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toMatchObject({ accepted: true, type: 'AlertAcknowledged' });
    expect(publish.mock.calls.flatMap(([events]) => events.map((event) => event.type))).toEqual(['AlertAcknowledged']);
    publish.mockRestore();
  });

  it('when Slack verifies the Request URL, then the sandbox answers the challenge', async () => {
    const response = await post(JSON.stringify(slackSample('url-verification')), 'application/json');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('the vendor is registered under its id', () => {
    expect(VENDORS.slack).toBe(slack);
  });
});
