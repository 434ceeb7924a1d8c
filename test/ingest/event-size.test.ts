import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { MAX_EVENT_BYTES, STEP_FUNCTIONS_PAYLOAD_BYTES } from '../../functions/contracts/payload-limits.ts';
import { busEntry, deliveredEvent, deliveredEventBytes, MAX_PUT_EVENTS_BYTES, putEventsCalls, putEventsEntryBytes } from '../../functions/ingest/bus-entry.ts';
import { MAX_BODY_BYTES, receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { webhookSenders } from '../../functions/ingest/senders.ts';
import type { InboundRequest } from '../../functions/ingest/vendor.ts';
import { zendesk } from '../../functions/ingest/vendors/zendesk.ts';
import { zendeskRequest } from '../support/vendors/zendesk-webhooks.ts';

// Limits at the door: a playbook's execution input is the whole event EventBridge delivers (envelope
// and detail), and Step Functions takes at most 262,144 bytes of it; the ingest keeps 16,384 of them
// for what the playbook adds to its state, and refuses (413) an event that would be bigger, rather than
// answer 202 for an event whose playbook could never start.

const NOW = new Date('2026-11-17T09:00:30Z');
const EMAIL = JSON.parse(readFileSync('functions/ingest/vendors/samples/zendesk-client-email.json', 'utf8')) as { comment: { value: string } };

function ingest() {
  const published: DomainEventMessage[][] = [];
  const deps: IngestDeps = { now: () => NOW, secrets: async () => ['dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=='], publishOnce: async (_key, events) => void published.push([...events]) };
  return { published, deliver: (vendor: string, request: InboundRequest) => receiveWebhook(vendor, request, deps) };
}

/** The client's e-mail as Zendesk's trigger sends it, its text `text`. */
const emailBody = (text: string) => JSON.stringify({ ...EMAIL, comment: { ...EMAIL.comment, value: text } });
const emailRequest = (text: string) => zendeskRequest(emailBody(text), { signedAt: NOW });

/** The size of the event EventBridge would deliver for the e-mail of text `text`. */
function eventBytesOf(text: string): number {
  const translation = zendesk.translate(emailRequest(text), { now: NOW });
  if (!('events' in translation)) throw new Error('no events');
  return deliveredEventBytes(translation.events[0]!);
}

/** An e-mail text whose event is exactly `bytes` as delivered: euro signs (3 bytes in UTF-8, 1 character of the contract's 100,000), then letters. */
function textForEventOf(bytes: number): string {
  const extra = bytes - (eventBytesOf('a') - 1);
  const text = '€'.repeat(Math.floor(extra / 3)) + 'a'.repeat(extra % 3);
  expect(eventBytesOf(text)).toBe(bytes);
  return text;
}

describe('413: an event that could not start its playbook is refused at the door', () => {
  it('given the limit, then it is Step Functions’ 262,144 bytes less the 16,384 kept for the playbook’s state', () => {
    expect([STEP_FUNCTIONS_PAYLOAD_BYTES, MAX_EVENT_BYTES]).toEqual([262_144, 245_760]);
  });

  it('given a client e-mail whose event is exactly at the limit, when Zendesk delivers it, then 202 and it is published', async () => {
    const { deliver, published } = ingest();
    const request = emailRequest(textForEventOf(MAX_EVENT_BYTES));
    expect(request.rawBody.byteLength).toBeLessThan(MAX_BODY_BYTES);

    expect((await deliver('zendesk', request)).statusCode).toBe(202);
    expect(published).toHaveLength(1);
  });

  it('given one byte more, then 413 naming the event, its size and the limit, and nothing is published', async () => {
    const { deliver, published } = ingest();

    const answer = await deliver('zendesk', emailRequest(textForEventOf(MAX_EVENT_BYTES + 1)));

    expect(answer).toEqual({
      statusCode: 413,
      body: {
        error: `The ClientFeedbackReceived event zendesk:comment-54509363035291 would be 245761 bytes as EventBridge delivers it (envelope and detail): a playbook's execution input is at most 262144 bytes (Step Functions), of which the ingest keeps 16384 for what the playbook adds to it, so the limit is 245760 bytes`,
      },
    });
    expect(published).toEqual([]);
  });

  it('given the 262 KB client e-mail of the attack run (a body under 256 KiB, an event over it), then 413, where it used to be 202 and then no execution', async () => {
    const { deliver, published } = ingest();
    const text = '€'.repeat(Math.floor((262_000 - emailBody('').length) / 3));
    const request = emailRequest(text);
    expect(request.rawBody.byteLength).toBeGreaterThan(261_000);
    expect(request.rawBody.byteLength).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(eventBytesOf(text)).toBeGreaterThan(STEP_FUNCTIONS_PAYLOAD_BYTES);

    expect((await deliver('zendesk', request)).statusCode).toBe(413);
    expect(published).toEqual([]);
  });

  it('given the same through /webhooks/events (a helpdesk sender allowed client e-mails), then 413 too: the limit is the event’s, whatever path brings it', async () => {
    const secret = `whsec_${Buffer.from('the helpdesk sender key, 32 bytes').toString('base64')}`;
    const body = JSON.stringify({
      type: 'ClientFeedbackReceived',
      timestamp: '2026-11-17T09:00:00Z',
      data: { eventId: 'evt-big-email', accountId: 'acc-salon-lumiere', contactId: 'ct-ines', channel: 'email', kind: 'dissatisfaction', text: '€'.repeat(85_000), receivedAt: '2026-11-17T09:00:00Z' },
    });
    const at = new Date();
    const request: InboundRequest = {
      method: 'POST',
      url: 'https://abc123.execute-api.eu-west-3.amazonaws.com/webhooks/events',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_big', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_big', at, body) },
      rawBody: Buffer.from(body),
    };
    const published: unknown[] = [];
    const answer = await receiveWebhook('events', request, {
      now: () => at,
      senders: webhookSenders({ events: { helpdesk: ['ClientFeedbackReceived'] } }),
      secrets: async () => [secret],
      publishOnce: async (_key, events) => void published.push(...events),
    });

    expect(answer.statusCode).toBe(413);
    expect(answer.body.error).toMatch(/^The ClientFeedbackReceived event evt-big-email would be \d+ bytes as EventBridge delivers it/);
    expect(published).toEqual([]);
  });
});

describe('the event as EventBridge delivers it', () => {
  const message = JSON.parse(readFileSync('functions/contracts/samples/BillingStarted.json', 'utf8')) as DomainEventMessage;

  it('given an entry, then the delivered event is its envelope around the parsed detail, its time in whole seconds', () => {
    expect(deliveredEvent(busEntry(message, 'bus'), { id: 'e1', account: '123456789012', region: 'eu-west-3' })).toEqual({
      version: '0',
      id: 'e1',
      'detail-type': 'BillingStarted',
      source: 'cs-playbooks',
      account: '123456789012',
      time: new Date(message.timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'eu-west-3',
      resources: [],
      detail: message.data,
    });
  });

  it('given any region, then the size the ingest counts is at least the delivered event’s (its envelope at its longest)', () => {
    for (const region of ['eu-west-3', 'ap-southeast-5', 'us-gov-west-1', 'eusc-de-east-1']) {
      const delivered = deliveredEvent(busEntry(message, 'bus'), { id: '3f1c2a0e-8d5b-4b7a-9c61-0a2b3c4d5e6f', account: '123456789012', region });
      expect(deliveredEventBytes(message)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(delivered)));
    }
  });
});

describe('PutEvents calls: at most 10 entries and 256 KiB each', () => {
  const entryOf = (bytes: number) => busEntry({ type: 'BillingStarted', timestamp: '2026-11-17T09:00:00Z', data: { eventId: 'e', accountId: 'a', at: '2026-11-17T09:00:00Z', pad: 'x'.repeat(bytes) } as never }, 'bus');

  it('given 25 small entries, then three calls of 10, 10 and 5, in order', () => {
    const entries = Array.from({ length: 25 }, () => entryOf(10));
    expect(putEventsCalls(entries).map((call) => call.length)).toEqual([10, 10, 5]);
    expect(putEventsCalls(entries).flat()).toEqual(entries);
  });

  it('given three entries of 100 KB, then two calls: two entries together stay under 256 KiB, three would not', () => {
    const entries = [entryOf(100_000), entryOf(100_000), entryOf(100_000)];
    const calls = putEventsCalls(entries);
    expect(calls.map((call) => call.length)).toEqual([2, 1]);
    for (const call of calls) expect(call.reduce((sum, entry) => sum + putEventsEntryBytes(entry), 0)).toBeLessThanOrEqual(MAX_PUT_EVENTS_BYTES);
  });
});
