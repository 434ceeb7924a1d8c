import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDomainEventMessage } from '../../functions/contracts/index.ts';
import { describeRestamp, restampTimes } from '../../sandbox/samples/restamp.ts';

// `playbooks send` moves a sample's times to now, so that a newcomer's first task is due from now on
// rather than weeks overdue; the spacing between the sample's instants is kept, and nothing else moves.

const NOW = new Date('2027-03-01T12:00:00.000Z');
const DAY = 86_400_000;

const sample = (path: string) => readFileSync(path, 'utf8');
const domainSample = (type: string) => sample(`functions/contracts/samples/${type}.json`);
const vendorSample = (name: string) => sample(`functions/ingest/vendors/samples/${name}.json`);
const json = (text: string) => JSON.parse(text) as Record<string, any>;

/** The text with every moved place put back as it was: what must equal the sample. */
function withoutTimes(text: string, places: string[], original: string): unknown {
  const value = json(text);
  const before = json(original);
  for (const place of places) {
    const keys = place.match(/[^.[\]]+/g)!.map((key) => (/^\d+$/.test(key) ? Number(key) : key));
    let target = value;
    let source = before;
    for (const key of keys.slice(0, -1)) [target, source] = [target[key], source[key]];
    target[keys.at(-1)!] = source[keys.at(-1)!];
  }
  return value;
}

describe('a domain event sample sent today', () => {
  it('given the NPS answer of 20 November 2026, when it is re-stamped on 1 March 2027, then it was sent and answered now, at its own offset, and nothing else changed', () => {
    const original = domainSample('NpsResponseReceived');
    const restamped = restampTimes(original, NOW);

    expect(json(restamped.text).timestamp).toBe('2027-03-01T13:00:00+01:00');
    expect(json(restamped.text).data.respondedAt).toBe('2027-03-01T13:00:00+01:00');
    expect(restamped.moved).toEqual(['timestamp', 'data.respondedAt']);
    expect(restamped.shiftMs).toBe(NOW.getTime() - Date.parse('2026-11-20T10:12:00+01:00'));
    expect(withoutTimes(restamped.text, restamped.moved, original)).toEqual(json(original));
  });

  it('given a competitor meeting 18 days after its detection, then the detection is now and the meeting still 18 days ahead', () => {
    const original = json(domainSample('CompetitorMeetingDetected')).data;
    const { data } = json(restampTimes(domainSample('CompetitorMeetingDetected'), NOW).text);

    expect(Date.parse(data.detectedAt)).toBe(NOW.getTime());
    expect(Date.parse(data.meetingAt) - Date.parse(data.detectedAt)).toBe(Date.parse(original.meetingAt) - Date.parse(original.detectedAt));
  });

  it('given an account update signed ten months before it and renewing in seven weeks, then both stay as far from now: every instant moves by one shift', () => {
    const original = json(domainSample('AccountUpdated'));
    const restamped = restampTimes(domainSample('AccountUpdated'), NOW);
    const { data, timestamp } = json(restamped.text);

    expect(restamped.moved).toEqual(['timestamp', 'data.signedAt', 'data.renewalAt', 'data.lastStoreOrderAt']);
    expect(Date.parse(timestamp)).toBe(NOW.getTime());
    expect(Date.parse(data.signedAt)).toBe(Date.parse(original.data.signedAt) + restamped.shiftMs);
    expect(Date.parse(data.renewalAt)).toBe(Date.parse(original.data.renewalAt) + restamped.shiftMs);
    expect(data.lastStoreOrderAt.endsWith('+02:00')).toBe(true);
    expect(data.contacts).toEqual(original.data.contacts);
  });

  it('given a sample dated in the future, then it is moved back to now', () => {
    const restamped = restampTimes(domainSample('NpsResponseReceived'), new Date('2026-11-01T09:12:00.000Z'));
    expect(restamped.shiftMs).toBe(-19 * DAY);
    expect(describeRestamp(restamped)).toBe('times moved by -19 days to now: timestamp, data.respondedAt');
  });

  it('given a now with milliseconds, then the shift is whole seconds, rounded down: the sample is at most a second before now, never after', () => {
    const restamped = restampTimes(domainSample('NpsResponseReceived'), new Date('2027-03-01T12:00:07.999Z'));
    expect(json(restamped.text).timestamp).toBe('2027-03-01T13:00:07+01:00');
  });
});

describe("a vendor's sample sent today", () => {
  it('given Typeform\'s NPS answer, then submitted_at is now (in UTC, as Typeform writes it), landed_at as long before it, and the answers untouched', () => {
    const original = vendorSample('typeform-nps-detractor');
    const restamped = restampTimes(original, NOW);
    const response = json(restamped.text).form_response;

    expect(response.submitted_at).toBe('2027-03-01T12:00:00Z');
    expect(response.landed_at).toBe('2027-03-01T11:58:41Z');
    expect(restamped.moved).toEqual(['form_response.submitted_at', 'form_response.landed_at']);
    expect(withoutTimes(restamped.text, restamped.moved, original)).toEqual(json(original));
  });

  it("given HubSpot's batch of three engagements a minute apart, then the last occurred now and the others a minute and two before, in epoch milliseconds; ids untouched", () => {
    const original = vendorSample('hubspot-engagements-created');
    const restamped = restampTimes(original, NOW);
    const batch = json(restamped.text) as unknown as { occurredAt: number; objectId: number }[];

    expect(batch.map((event) => event.occurredAt)).toEqual([NOW.getTime() - 120_000, NOW.getTime() - 60_000, NOW.getTime()]);
    expect(withoutTimes(restamped.text, restamped.moved, original)).toEqual(json(original));
    expect(describeRestamp(restamped)).toMatch(/: \[\*\]\.occurredAt \(×3\)$/);
  });

  it("given Slack's click on the ✅ button, then the click (action_ts, seconds with microseconds) is now; the message it was on keeps its ts, which names it", () => {
    const original = vendorSample('slack-block-actions-acknowledge-alert');
    const restamped = restampTimes(original, NOW);
    const payload = json(restamped.text);

    // 0.84 s into a second: moved by whole seconds, it lands in the second before now.
    expect(payload.actions[0].action_ts).toBe(`${NOW.getTime() / 1000 - 1}.840180`);
    expect(payload.message.ts).toBe(json(original).message.ts);
    expect(payload.container.message_ts).toBe(json(original).container.message_ts);
    expect(restamped.moved).toEqual(['actions[0].action_ts']);
  });

  it("given Slack's reaction event, then event_ts and event_time move together; the message's ts stays", () => {
    const original = vendorSample('slack-event-callback-reaction-added');
    const restamped = restampTimes(original, NOW);
    const payload = json(restamped.text);

    expect(restamped.moved).toEqual(['event.event_ts', 'event_time']);
    expect(payload.event.item.ts).toBe(json(original).event.item.ts);
    expect(Number(payload.event.event_ts) * 1000 - restamped.shiftMs).toBeCloseTo(Number(json(original).event.event_ts) * 1000, 0);
  });

  it("given Zendesk's client e-mail, then the ticket's updated_at is now and the comment untouched", () => {
    const original = vendorSample('zendesk-client-email');
    const restamped = restampTimes(original, NOW);
    expect(json(restamped.text).ticket.updated_at).toBe('2027-03-01T12:00:00Z');
    expect(withoutTimes(restamped.text, restamped.moved, original)).toEqual(json(original));
  });

  it("given Slack's url_verification, which holds no time, then nothing moves and nothing is said", () => {
    const original = vendorSample('slack-url-verification');
    const restamped = restampTimes(original, NOW);
    expect(restamped).toEqual({ text: original, shiftMs: 0, moved: [] });
    expect(describeRestamp(restamped)).toBeUndefined();
  });
});

describe('what is not a time the payload was sent at', () => {
  it('given a date without a time, a time inside a sentence and a number that merely looks like one, then they stay', () => {
    const original = JSON.stringify({ submitted_at: '2026-11-20T09:12:00Z', answer: { date: '2026-11-20' }, text: 'since 2026-11-20T09:12:00Z', amount: 1795677600000 });
    const restamped = restampTimes(original, NOW);
    expect(restamped.moved).toEqual(['submitted_at']);
    expect({ ...json(restamped.text), submitted_at: undefined }).toEqual({ ...json(original), submitted_at: undefined });
  });
});

describe('every sample of the repository, sent today', () => {
  const files = (directory: string) => readdirSync(directory).filter((file) => file.endsWith('.json')).map((file) => `${directory}/${file}`);

  it.each(files('functions/contracts/samples'))('given %s, then it is still a valid domain event, sent now', (path) => {
    const message = parseDomainEventMessage(json(restampTimes(sample(path), NOW).text));
    expect(Date.parse(message.timestamp)).toBe(NOW.getTime());
  });

  it.each(files('functions/ingest/vendors/samples'))('given %s, then only its times changed, and the latest is in the second before now', (path) => {
    const original = sample(path);
    const restamped = restampTimes(original, NOW);
    expect(withoutTimes(restamped.text, restamped.moved, original)).toEqual(json(original));
    if (restamped.moved.length === 0) return;
    const latest = Math.max(...restamped.moved.map((place) => instantAt(json(restamped.text), place)));
    expect(latest).toBeGreaterThan(NOW.getTime() - 1000);
    expect(latest).toBeLessThanOrEqual(NOW.getTime());
  });
});

/** The instant at a moved place, read as its vendor writes it. */
function instantAt(payload: unknown, place: string): number {
  const keys = place.match(/[^.[\]]+/g)!;
  const value = keys.reduce<any>((node, key) => node[/^\d+$/.test(key) ? Number(key) : key], payload);
  const key = keys.at(-1)!;
  if (key === 'occurredAt') return value as number;
  if (key === 'action_ts' || key === 'event_ts' || key === 'event_time') return Number(value) * 1000;
  return Date.parse(value as string);
}
