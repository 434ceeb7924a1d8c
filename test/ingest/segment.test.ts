import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { segment, translateSegmentCall, verifySegmentSignature } from '../../functions/ingest/vendors/segment.ts';
import type { InboundRequest } from '../../functions/ingest/vendor.ts';

// Segment's Webhooks destination: each call of a source forwarded as JSON, signed with the destination's
// shared secret in X-Signature (a hex HMAC-SHA1 of the raw body). The samples are in the shape of
// Segment's spec (functions/ingest/vendors/samples/README.md).

const SECRET = 'segment-shared-secret-of-the-destination';
const sample = (name: string) => readFileSync(`functions/ingest/vendors/samples/segment-${name}.json`, 'utf8');
const NOW = new Date('2026-11-20T09:00:00Z');
const request = (body: string, headers: Record<string, string> = { 'x-signature': createHmac('sha1', SECRET).update(body).digest('hex') }): InboundRequest => ({
  method: 'POST',
  url: 'https://api.example.com/webhooks/segment',
  headers: { 'content-type': 'application/json', ...headers },
  rawBody: Buffer.from(body, 'utf8'),
});

describe('Segment: the signature', () => {
  it('given a call signed with the shared secret (hex HMAC-SHA1 of the raw body), then it verifies; during a rotation, with either secret', () => {
    expect(verifySegmentSignature(request(sample('track')), [SECRET])).toEqual({ verified: true });
    expect(verifySegmentSignature(request(sample('track')), ['the-new-secret', SECRET])).toEqual({ verified: true });
  });

  it('given a body altered after signing, another secret, a malformed or a missing header, then it does not verify, saying why', () => {
    const signed = request(sample('track'));
    expect(verifySegmentSignature({ ...signed, rawBody: Buffer.from(sample('track').replace('ct-ines', 'ct-eve')) }, [SECRET]).verified).toBe(false);
    expect(verifySegmentSignature(signed, ['another-secret']).verified).toBe(false);
    expect(verifySegmentSignature(request(sample('track'), { 'x-signature': 'sha1=abc' }), [SECRET])).toEqual({ verified: false, error: 'X-Signature is not a hex SHA1 digest (40 hex digits)' });
    expect(verifySegmentSignature(request(sample('track'), {}), [SECRET])).toEqual({ verified: false, error: expect.stringMatching(/^Missing X-Signature header/) });
  });
});

describe('Segment: what a call becomes', () => {
  it('given a track call, then one use of the product: the account from context.groupId, the contact from userId, the feature from properties.feature, at its timestamp', () => {
    expect(translateSegmentCall(request(sample('track')), { now: NOW })).toEqual({
      deliveryId: 'ajs-next-69e5b2b1f0b9a21fd4d0f2a4b7c1e8d3',
      events: [
        {
          type: 'ProductUsageRecorded',
          timestamp: '2026-11-20T08:05:00.960Z',
          data: { eventId: 'segment:ajs-next-69e5b2b1f0b9a21fd4d0f2a4b7c1e8d3', accountId: 'acc-salon-lumiere', contactId: 'ct-ines', at: '2026-11-20T08:05:00.960Z', feature: 'online-booking' },
        },
      ],
    });
  });

  it('given a page call, then a use too, without a feature; given a track call without properties.feature, then its event name is the feature', () => {
    expect(translateSegmentCall(request(sample('page')), { now: NOW })).toMatchObject({ events: [{ data: { accountId: 'acc-salon-lumiere', contactId: 'ct-hugo' } }] });
    expect(translateSegmentCall(request(sample('page')), { now: NOW })).not.toHaveProperty('events.0.data.feature');
    const named = JSON.stringify({ ...JSON.parse(sample('track')), properties: {} });
    expect(translateSegmentCall(request(named), { now: NOW })).toMatchObject({ events: [{ data: { feature: 'Booking Created' } }] });
  });

  it('given an identify call, then it is acknowledged and ignored: it describes a person, not a use (and its traits go nowhere)', () => {
    const translated = translateSegmentCall(request(sample('identify')), { now: NOW });
    expect(translated).toEqual({ deliveryId: 'ajs-next-5f2c1d0e9b8a7f6e5d4c3b2a1f0e9d8c', events: [], ignored: [expect.stringMatching(/^a "identify" call describes people or accounts, not a use/)] });
    expect(JSON.stringify(translated)).not.toContain('ines.martin@example.com');
  });

  it('given a call without context.groupId, then the stage’s account trait names the account (trait, then property), else it is ignored saying so', () => {
    const withoutGroup = (extra: object) => JSON.stringify({ ...JSON.parse(sample('track')), context: {}, ...extra });
    const settings = { SEGMENT_ACCOUNT_TRAIT: 'account_id' };
    expect(translateSegmentCall(request(withoutGroup({ properties: { account_id: 'acc-b' } })), { now: NOW, settings })).toMatchObject({ events: [{ data: { accountId: 'acc-b' } }] });
    expect(translateSegmentCall(request(withoutGroup({ context: { traits: { account_id: 'acc-c' } } })), { now: NOW, settings })).toMatchObject({ events: [{ data: { accountId: 'acc-c' } }] });
    expect(translateSegmentCall(request(withoutGroup({})), { now: NOW })).toMatchObject({ events: [], ignored: [expect.stringMatching(/names no account: no context\.groupId \(or set SEGMENT_ACCOUNT_TRAIT\)/)] });
  });

  it('given a call older than the ingest remembers deliveries (no signed timestamp to refuse a replay by), then 409 naming the timestamp', () => {
    expect(() => translateSegmentCall(request(sample('track')), { now: new Date('2026-11-25T09:00:00Z') })).toThrow(expect.objectContaining({ statusCode: 409, details: [expect.stringMatching(/^timestamp: it was made more than/)] }));
  });

  it('given the vendor, then its path publishes the product’s usage only', () => {
    expect(segment.produces).toEqual(['ProductUsageRecorded']);
  });
});
