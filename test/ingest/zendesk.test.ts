import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings, type AccountRecord, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { zendesk } from '../../functions/ingest/vendors/zendesk.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { buildReport } from '../../sandbox/report/report.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { until } from '../support/eventually.ts';
import { renderTemplate, ZENDESK_TEST_SECRET, zendeskHeaders, zendeskRequest, zendeskSample, zendeskTimestamp } from '../support/vendors/zendesk-webhooks.ts';

// Zendesk, the helpdesk where the clients' e-mails land (functions/ingest/vendors/zendesk.ts).
// Sources of the fixtures (functions/ingest/vendors/samples/zendesk.md):
// - signature: https://developer.zendesk.com/documentation/webhooks/verifying/ (base64 HMAC-SHA256 of
//   timestamp + body; the static test secret) and the request headers of
//   https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/;
// - the trigger bodies: the templates in samples/, rendered with Zendesk's placeholders
//   (https://support.zendesk.com/hc/en-us/articles/4408886858138);
// - an event-subscription payload: the example of
//   https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/.
// Zendesk documents no worked signature example (secret, body, signature): the signatures here are
// computed independently with node:crypto (test/support/vendors/zendesk-webhooks.ts).

const SIGNED_AT = new Date('2026-11-17T09:00:05Z');
const CURRENT = 'zendesk-signing-secret-current';
const PREVIOUS = 'zendesk-signing-secret-previous';

function deps(published: DomainEventMessage[][] = [], secrets: readonly string[] = [CURRENT, PREVIOUS]): IngestDeps {
  return { now: () => new Date(SIGNED_AT.getTime() + 30_000), secrets: async () => secrets, publishOnce: async (_key, events) => void published.push([...events]) };
}

const post = (body: string, options: Parameters<typeof zendeskRequest>[1] = {}, published: DomainEventMessage[][] = []) =>
  receiveWebhook('zendesk', zendeskRequest(body, { secret: CURRENT, signedAt: SIGNED_AT, ...options }), deps(published));

/** The values Zendesk would render for the fixtures' ticket: the template and the fixture must agree. */
const placeholders = (overrides: Record<string, string>) => ({
  'ticket.id': '35436',
  'ticket.tags': 'email enterprise',
  'ticket.organization.external_id': 'acc-salon-lumiere',
  'ticket.requester.id': '20978392',
  'ticket.requester.external_id': 'ct-ines',
  'ticket.latest_comment.is_public': 'true',
  ...overrides,
});

describe('Zendesk: the trigger bodies as documented in samples/', () => {
  it('given the client-email template rendered by Zendesk for the client’s e-mail, then it is the client-email fixture', () => {
    const rendered = renderTemplate(zendeskSample('client-email.template'), placeholders({
      'ticket.updated_at_with_timestamp': '2026-11-17T09:00:00Z',
      'ticket.latest_comment.id': '54509363035291',
      'ticket.latest_comment.value': 'Our online booking page has been failing since Monday and clients are calling us.',
    }));
    expect(JSON.parse(rendered)).toEqual(JSON.parse(zendeskSample('client-email')));
  });

  it('given the agent-reply template rendered for the agent’s public comment, then it is the agent-reply fixture', () => {
    const rendered = renderTemplate(zendeskSample('agent-reply.template'), placeholders({
      'ticket.updated_at_with_timestamp': '2026-11-17T11:30:00Z',
      'ticket.latest_comment.id': '54509451282203',
      'ticket.latest_comment.value': 'Thank you for telling us, and I am sorry for the trouble. When can we call you today?',
    }));
    expect(JSON.parse(rendered)).toEqual(JSON.parse(zendeskSample('agent-reply')));
  });
});

describe('Zendesk: a signed request becomes client-feedback’s events', () => {
  it('given the client’s e-mail opening ticket 35436, then ClientFeedbackReceived keyed on the ticket, for the organization’s and the requester’s external ids', async () => {
    const published: DomainEventMessage[][] = [];
    const response = await post(zendeskSample('client-email'), {}, published);

    expect(response).toEqual({
      statusCode: 202,
      body: { accepted: true, eventId: 'zendesk:comment-54509363035291', type: 'ClientFeedbackReceived', events: [{ eventId: 'zendesk:comment-54509363035291', type: 'ClientFeedbackReceived' }] },
    });
    expect(published).toEqual([
      [
        {
          type: 'ClientFeedbackReceived',
          timestamp: '2026-11-17T09:00:00.000Z',
          data: {
            eventId: 'zendesk:comment-54509363035291',
            accountId: 'acc-salon-lumiere',
            contactId: 'ct-ines',
            channel: 'email',
            kind: 'dissatisfaction',
            messageId: 'zendesk-ticket-35436',
            text: 'Our online booking page has been failing since Monday and clients are calling us.',
            receivedAt: '2026-11-17T09:00:00.000Z',
          },
        },
      ],
    ]);
  });

  it('given an agent’s public comment on the same ticket, then ClientReplySent naming the key the feedback used as its messageId', async () => {
    const published: DomainEventMessage[][] = [];
    const response = await post(zendeskSample('agent-reply'), {}, published);

    expect(response.statusCode).toBe(202);
    expect(published).toEqual([
      [{ type: 'ClientReplySent', timestamp: '2026-11-17T11:30:00.000Z', data: { eventId: 'zendesk:comment-54509451282203', accountId: 'acc-salon-lumiere', inReplyTo: 'zendesk-ticket-35436', at: '2026-11-17T11:30:00.000Z' } }],
    ]);
  });

  it('given the ticket tagged suspension-request, then the feedback is a suspension request', async () => {
    const published: DomainEventMessage[][] = [];
    const body = JSON.parse(zendeskSample('client-email'));
    body.ticket.tags = 'email suspension-request vip';
    await post(JSON.stringify(body), {}, published);

    expect(published[0]![0]!.data).toMatchObject({ kind: 'suspension-request', messageId: 'zendesk-ticket-35436' });
  });

  it('given a tag that only contains the words (suspension-requested), then it stays a dissatisfaction', async () => {
    const published: DomainEventMessage[][] = [];
    const body = JSON.parse(zendeskSample('client-email'));
    body.ticket.tags = 'suspension-requested';
    await post(JSON.stringify(body), {}, published);

    expect(published[0]![0]!.data).toMatchObject({ kind: 'dissatisfaction' });
  });

  it('given a requester the CRM does not know (no external id), then the feedback still comes, from zendesk-user-<id>, so the first-reply task asks to add them', async () => {
    const published: DomainEventMessage[][] = [];
    const body = JSON.parse(zendeskSample('client-email'));
    body.ticket.requester_external_id = '';
    await post(JSON.stringify(body), {}, published);

    expect(published[0]![0]!.data).toMatchObject({ contactId: 'zendesk-user-20978392' });
  });

  it('given an internal note, then it is answered 202, ignored with its reason, and nothing is published: a note is no reply', async () => {
    const published: DomainEventMessage[][] = [];
    const response = await post(zendeskSample('internal-note'), {}, published);

    expect(response).toEqual({ statusCode: 202, body: { accepted: true, events: [], ignored: ['comment 54509400000001 on ticket 35436 is an internal note: neither the client\'s message nor a reply to it'] } });
    expect(published).toEqual([]);
  });

  it('given a ticket whose organization has no external id (not a client account), then 202, ignored, nothing published', async () => {
    const published: DomainEventMessage[][] = [];
    const body = JSON.parse(zendeskSample('client-email'));
    body.ticket.organization_external_id = '';
    const response = await post(JSON.stringify(body), {}, published);

    expect(response.statusCode).toBe(202);
    expect(response.body.ignored).toEqual([expect.stringMatching(/^comment 54509363035291 on ticket 35436: the ticket's organization has no external id/)]);
    expect(published).toEqual([]);
  });
});

describe('Zendesk: the signature', () => {
  const body = zendeskSample('client-email');

  it('given Zendesk’s static test secret, then a request signed with it verifies', () => {
    const request = zendeskRequest(body, { secret: ZENDESK_TEST_SECRET, signedAt: SIGNED_AT });
    expect(zendesk.verify(request, [ZENDESK_TEST_SECRET], SIGNED_AT)).toEqual({ verified: true });
  });

  it('given the previous secret second in the list during a rotation, then it still verifies', async () => {
    expect((await post(body, { secret: PREVIOUS })).statusCode).toBe(202);
  });

  it('given a secret nobody configured, then 401', async () => {
    expect(await post(body, { secret: 'stranger' })).toEqual({ statusCode: 401, body: { error: 'Signature rejected: it matches none of the active secrets' } });
  });

  it('given one byte of the body changed after signing, then 401', async () => {
    const request = zendeskRequest(body, { secret: CURRENT, signedAt: SIGNED_AT });
    request.rawBody = Buffer.from(body.replace('35436', '35437'));
    expect((await receiveWebhook('zendesk', request, deps())).statusCode).toBe(401);
  });

  it('given the timestamp changed after signing, then 401: the signature covers it', () => {
    const headers = zendeskHeaders(body, { secret: CURRENT, signedAt: SIGNED_AT });
    const request = zendeskRequest(body, { secret: CURRENT, headers: { ...headers, 'x-zendesk-webhook-signature-timestamp': zendeskTimestamp(new Date(SIGNED_AT.getTime() + 1000)) } });
    expect(zendesk.verify(request, [CURRENT], SIGNED_AT).verified).toBe(false);
  });

  it.each([
    ['six minutes old', -6 * 60_000, /s old; the window is 300 s/],
    ['six minutes in the future', 6 * 60_000, /s in the future; the window is 300 s/],
  ])('given a signature timestamp %s, then 401', async (_, offset, message) => {
    const response = await post(body, { signedAt: new Date(SIGNED_AT.getTime() + 30_000 + offset) });
    expect(response.statusCode).toBe(401);
    expect(response.body.error).toMatch(message);
  });

  it('given a timestamp four minutes old, then it is within the window', async () => {
    expect((await post(body, { signedAt: new Date(SIGNED_AT.getTime() + 30_000 - 4 * 60_000) })).statusCode).toBe(202);
  });

  it.each([
    ['the signature', 'x-zendesk-webhook-signature', /Missing X-Zendesk-Webhook-Signature header/],
    ['the timestamp', 'x-zendesk-webhook-signature-timestamp', /Missing X-Zendesk-Webhook-Signature-Timestamp header/],
  ])('given no header carrying %s, then 401 saying which', async (_, header, message) => {
    const response = await post(body, { headers: { [header]: undefined } });
    expect(response.statusCode).toBe(401);
    expect(response.body.error).toMatch(message);
  });

  it('given a Unix-seconds timestamp (not Zendesk’s format), then 401, even when signed with it', () => {
    const timestamp = String(Math.floor(SIGNED_AT.getTime() / 1000));
    const request = zendeskRequest(body, { secret: CURRENT, timestamp });
    expect(zendesk.verify(request, [CURRENT], SIGNED_AT)).toEqual({ verified: false, error: 'X-Zendesk-Webhook-Signature-Timestamp is not an ISO 8601 time' });
  });

  it('given no secret configured, then 401 saying so', () => {
    expect(zendesk.verify(zendeskRequest(body, { secret: CURRENT, signedAt: SIGNED_AT }), [], SIGNED_AT)).toEqual({ verified: false, error: 'No signing secret is configured for this vendor' });
  });
});

describe('Zendesk: bodies that are not the trigger body', () => {
  it('given malformed JSON, then 400', async () => {
    const response = await post('{"event": "client-email",');
    expect(response.statusCode).toBe(400);
    expect(response.body.error).toMatch(/^Body is not valid JSON/);
  });

  it('given an event-subscription payload (Zendesk’s documented example), then 400 naming the fields the trigger body must have', async () => {
    const response = await post(zendeskSample('event-subscription-user-active-changed'));
    expect(response.statusCode).toBe(400);
    expect(response.body.error).toBe('Zendesk request is not the cs-playbooks trigger body (functions/ingest/vendors/samples/zendesk.md)');
    expect(response.body.details).toEqual([expect.stringMatching(/^event: /), expect.stringMatching(/^ticket: /), expect.stringMatching(/^comment: /)]);
  });

  it('given a misspelt comment placeholder (rendered empty), then 400 naming comment.id and the placeholder, never the client’s words', async () => {
    const body = JSON.parse(zendeskSample('client-email'));
    body.comment.id = '';
    const response = await post(JSON.stringify(body));
    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([expect.stringMatching(/^comment\.id: .*\{\{ticket\.latest_comment\.id\}\}/)]);
    expect(JSON.stringify(response.body)).not.toMatch(/booking page|ct-ines|acc-salon-lumiere/);
  });

  it('given an unknown trigger event and a time that is not one, then 400 naming each field', async () => {
    const body = JSON.parse(zendeskSample('agent-reply'));
    body.event = 'comment';
    body.ticket.updated_at = 'December 12, 2013';
    body.comment.is_public = 'yes';
    const response = await post(JSON.stringify(body));
    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([expect.stringMatching(/^event: /), expect.stringMatching(/^ticket\.updated_at: .*updated_at_with_timestamp/), expect.stringMatching(/^comment\.is_public: /)]);
  });

  it('given Zendesk’s minute-precision time (2013-12-12T05:35Z, as its placeholder reference shows), then it is read', async () => {
    const published: DomainEventMessage[][] = [];
    const body = JSON.parse(zendeskSample('agent-reply'));
    body.ticket.updated_at = '2026-11-17T11:30Z';
    await post(JSON.stringify(body), {}, published);
    expect(published[0]![0]!.data).toMatchObject({ at: '2026-11-17T11:30:00.000Z' });
  });

  it('given a form-encoded body, then 415', async () => {
    const response = await post(zendeskSample('client-email'), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.statusCode).toBe(415);
  });
});

// The running sandbox, as `npm start` runs it: the wall clock, HTTP on 127.0.0.1, Zendesk's signatures.
describe('Zendesk through the running sandbox: a client’s e-mail and the agent’s reply', () => {
  let sandbox: Sandbox;
  let server: SandboxServer;
  const account = (): AccountRecord => {
    const { eventId: _, accountId, ...record } = JSON.parse(readFileSync('functions/contracts/samples/AccountUpdated.json', 'utf8')).data;
    return { id: accountId, ...record };
  };

  beforeAll(async () => {
    sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings() });
    server = await startServer(sandbox, { port: 0, secrets: (vendor) => (vendor === 'zendesk' ? [CURRENT, PREVIOUS] : []) });
    await sandbox.importAccounts([account()]);
  });

  afterAll(async () => {
    await server?.close();
    await sandbox?.stop();
  });

  /** A fixture as Zendesk sends it now: the comment added a moment ago, signed this second. */
  function send(name: string) {
    const body = JSON.parse(zendeskSample(name));
    body.ticket.updated_at = zendeskTimestamp(new Date());
    const text = JSON.stringify(body);
    return fetch(`${server.url}/webhooks/zendesk`, { method: 'POST', headers: zendeskHeaders(text, { secret: CURRENT }), body: text });
  }

  const feedbackRuns = () => sandbox.executions.filter((e) => e.playbook === 'client-feedback');


  it('when the client’s e-mail arrives, then client-feedback starts: a first-reply task for the CSM, and the execution waits for the reply', async () => {
    const response = await send('client-email');
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: true, type: 'ClientFeedbackReceived', eventId: 'zendesk:comment-54509363035291' });

    await until(() => feedbackRuns()[0]?.currentState === 'AwaitFirstReply');
    const report = await buildReport(sandbox);
    expect(report.tasks).toEqual([expect.objectContaining({ kind: 'first-reply', accountId: 'acc-salon-lumiere', owner: 'csm-camille', playbook: 'client-feedback' })]);
    expect(feedbackRuns().map((e) => e.status)).toEqual(['RUNNING']);
  });

  it('when the client’s e-mail is delivered again, then it is accepted and nothing new starts', async () => {
    const before = await buildReport(sandbox);
    expect((await send('client-email')).status).toBe(202);
    await sandbox.settled();

    expect(feedbackRuns()).toHaveLength(1);
    expect((await buildReport(sandbox)).tasks).toEqual(before.tasks);
  });

  it('when the agent replies publicly on the ticket, then the wait is resumed: the feedback run succeeds with a feedback-meeting task, and no first-reply-overdue', async () => {
    expect((await send('agent-reply')).status).toBe(202);

    await until(() => feedbackRuns().length === 2 && feedbackRuns().every((e) => e.status !== 'RUNNING'));
    expect(feedbackRuns().map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const report = await buildReport(sandbox);
    expect(report.tasks.map((task) => task.kind).sort()).toEqual(['feedback-meeting', 'first-reply']);
    expect(report.alerts).toEqual([]);
  });

  it('when the reply is delivered again, or an internal note follows, then nothing new starts', async () => {
    const before = await buildReport(sandbox);
    expect((await send('agent-reply')).status).toBe(202);
    const note = await send('internal-note');
    expect(note.status).toBe(202);
    expect(await note.json()).toMatchObject({ events: [], ignored: [expect.stringMatching(/internal note/)] });
    await sandbox.settled();

    expect(feedbackRuns()).toHaveLength(2);
    expect((await buildReport(sandbox)).tasks).toEqual(before.tasks);
  });
});
