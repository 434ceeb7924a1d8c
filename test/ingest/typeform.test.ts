import { describe, expect, it } from 'vitest';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { DELIVERY_MEMORY_SECONDS, olderThanDeliveryMemory } from '../../functions/ingest/delivery-memory.ts';
import { receiveWebhook, type IngestDeps } from '../../functions/ingest/receive-webhook.ts';
import { typeform } from '../../functions/ingest/vendors/typeform.ts';
import { CURRENT_SECRET, PREVIOUS_SECRET, signTypeform, typeformPayload, typeformRequest, typeformSample, type TypeformPayload } from '../support/vendors/typeform-webhooks.ts';

// Typeform's NPS answers, POST /webhooks/typeform. Sources:
// - signature: https://www.typeform.com/developers/webhooks/secure-your-webhooks/ (no worked example with
//   an expected value is given there, so signatures are computed with node:crypto in the test helper);
// - payload: https://www.typeform.com/developers/webhooks/example-payload/ — samples/typeform-example-payload.json
//   is that example verbatim, plus the hidden fields `account_id` and `contact_id` our mapping needs;
//   samples/typeform-nps-detractor.json is an NPS survey in the same documented shape (an `nps` field
//   and a `long_text` reason), for the flow into the nps-response playbook.

const NOW = new Date('2026-11-20T09:12:05Z');
/** A few minutes after Typeform's documented example was submitted (2018-01-18T18:17:02Z). */
const AFTER_EXAMPLE = new Date('2018-01-18T18:20:00Z');

type Published = { deliveryKey: string; events: readonly DomainEventMessage[] };

function ingest(now = NOW) {
  const published: Published[] = [];
  const deps: IngestDeps = {
    now: () => now,
    secrets: async (vendor) => (vendor === 'typeform' ? [CURRENT_SECRET, PREVIOUS_SECRET] : []),
    publishOnce: async (deliveryKey, events) => void published.push({ deliveryKey, events }),
  };
  return {
    published,
    deliver: (body: string, options: { secret?: string; contentType?: string; signature?: string | null } = {}) =>
      receiveWebhook('typeform', typeformRequest(body, { secret: CURRENT_SECRET, ...options }), deps),
  };
}

const json = (payload: unknown) => JSON.stringify(payload);

/** The documented example whose opinion scale (its first score field) says it is 0 to 10. */
function exampleWithScale(properties: Record<string, unknown>): TypeformPayload {
  const payload = typeformPayload('example-payload');
  payload.form_response.definition.fields.find((field) => field.type === 'opinion_scale')!.properties = properties;
  return payload;
}

const DETRACTOR_EVENT = {
  type: 'NpsResponseReceived',
  timestamp: '2026-11-20T09:12:00Z',
  data: {
    eventId: 'typeform:01JCXR4T7NPS5DETRACT0R0001',
    accountId: 'acc-salon-lumiere',
    contactId: 'ct-hugo',
    score: 4,
    comment: 'Les rappels SMS partent en retard.',
    respondedAt: '2026-11-20T09:12:00Z',
  },
};

describe('Typeform: a submitted NPS survey becomes NpsResponseReceived', () => {
  it('given an NPS survey answered 4 with a reason, signed with the current secret, when it is received, then one NpsResponseReceived is published under the delivery typeform#<event_id>', async () => {
    const { deliver, published } = ingest();

    const response = await deliver(typeformSample('nps-detractor'));

    expect(response).toEqual({
      statusCode: 202,
      body: { accepted: true, eventId: DETRACTOR_EVENT.data.eventId, type: 'NpsResponseReceived', events: [{ eventId: DETRACTOR_EVENT.data.eventId, type: 'NpsResponseReceived' }] },
    });
    expect(published).toEqual([{ deliveryKey: 'typeform#01JCXR4T7NPS5DETRACT0R0001', events: [DETRACTOR_EVENT] }]);
  });

  it("given Typeform's documented example, a survey about the weather whose opinion scale declares no range (its question says 1 to 5), when it is received, then 202 and ignored: not an NPS survey, nothing published", async () => {
    const { deliver, published } = ingest();

    const response = await deliver(typeformSample('example-payload'));

    expect(response).toEqual({
      statusCode: 202,
      body: { accepted: true, events: [], ignored: ['form lT4Z3j has no NPS question (an nps field, an opinion scale with ref "nps", or one declared 0–10): not an NPS survey'] },
    });
    expect(published).toEqual([]);
  });

  it("given the documented example with its opinion scale marked as the NPS question (ref nps), when it is received, then its answer is the score", async () => {
    const { deliver, published } = ingest(AFTER_EXAMPLE);
    const payload = typeformPayload('example-payload');
    payload.form_response.definition.fields.find((field) => field.type === 'opinion_scale')!.ref = 'nps';

    expect((await deliver(json(payload))).statusCode).toBe(202);
    expect(published[0]!.events[0]!.data).toMatchObject({ score: 2 });
  });

  it("given the documented example with its opinion scale declared 0–10 (11 steps from 0), when it is received, then its answer is the score, the first long_text answer the comment, and submitted_at the time", async () => {
    const { deliver, published } = ingest(AFTER_EXAMPLE);

    const response = await deliver(json(exampleWithScale({ steps: 11, start_at_one: false })));

    expect(response.statusCode).toBe(202);
    expect(published).toEqual([
      {
        deliveryKey: 'typeform#LtWXD3crgy',
        events: [
          {
            type: 'NpsResponseReceived',
            timestamp: '2018-01-18T18:17:02Z',
            data: {
              eventId: 'typeform:LtWXD3crgy',
              accountId: 'acc-salon-lumiere',
              contactId: 'ct-hugo',
              score: 2,
              comment: "It's cold right now! I live in an older medium-sized city with a university. Geographically, the area is hilly.",
              respondedAt: '2018-01-18T18:17:02Z',
            },
          },
        ],
      },
    ]);
  });

  it.each([
    ['1–5 (5 steps from 1)', { steps: 5, start_at_one: true }],
    ['1–10 (10 steps from 1)', { steps: 10, start_at_one: true }],
    ['0–6 (7 steps from 0)', { steps: 7, start_at_one: false }],
  ])('given the only scale is an opinion scale of %s, when it is received, then it is not read as an NPS score: ignored', async (_range, properties) => {
    const { deliver, published } = ingest();

    const response = await deliver(json(exampleWithScale(properties)));

    expect(response.statusCode).toBe(202);
    expect(response.body.ignored).toEqual([expect.stringContaining('has no NPS question')]);
    expect(published).toEqual([]);
  });

  it('given an opinion scale of 1–5 marked as the NPS question (ref nps), when it is received, then 400 naming the field and its range: the form is wrong', async () => {
    const { deliver, published } = ingest();
    const payload = exampleWithScale({ steps: 5, start_at_one: true });
    payload.form_response.definition.fields.find((field) => field.type === 'opinion_scale')!.ref = 'nps';

    const response = await deliver(json(payload));

    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual(['form_response.definition.fields[9]: opinion_scale NRsxU591jIW9 (ref nps) is 1–5; an NPS needs 0–10 (properties.steps 11, properties.start_at_one false)']);
    expect(published).toEqual([]);
  });

  it('given a form with a 0–10 opinion scale and, after it, an NPS question, when it is received, then the NPS question is the score', async () => {
    const { deliver, published } = ingest(AFTER_EXAMPLE);
    const payload = exampleWithScale({ steps: 11, start_at_one: false });
    payload.form_response.definition.fields.push({ id: 'Xq7LmN2pR4sT', type: 'nps' });
    payload.form_response.answers!.push({ type: 'number', number: 9, field: { id: 'Xq7LmN2pR4sT', type: 'nps' } });

    await deliver(json(payload));

    expect(published[0]!.events[0]!.data).toMatchObject({ score: 9 });
  });

  it('given a survey answered without a reason, when it is received, then the event has no comment', async () => {
    const { deliver, published } = ingest();
    const payload = typeformPayload('nps-detractor');
    payload.form_response.answers = payload.form_response.answers!.filter((answer) => answer.type !== 'text');

    expect((await deliver(json(payload))).statusCode).toBe(202);

    expect(published[0]!.events[0]!.data).toEqual({ ...DETRACTOR_EVENT.data, comment: undefined });
    expect(published[0]!.events[0]!.data).not.toHaveProperty('comment');
  });

  it('given a reason only of blanks, when it is received, then the event has no comment', async () => {
    const { deliver, published } = ingest();
    const payload = typeformPayload('nps-detractor');
    payload.form_response.answers![1]!.text = '  \n ';

    await deliver(json(payload));

    expect(published[0]!.events[0]!.data).not.toHaveProperty('comment');
  });

  it('given a reason longer than the contract allows, when it is received, then it is cut at 10 000 characters and the answer says so', async () => {
    const { deliver, published } = ingest();
    const payload = typeformPayload('nps-detractor');
    payload.form_response.answers![1]!.text = 'x'.repeat(12_000);

    const response = await deliver(json(payload));

    expect(response.statusCode).toBe(202);
    expect(response.body.ignored).toEqual(['comment cut to 10000 characters']);
    expect((published[0]!.events[0]!.data as { comment: string }).comment).toHaveLength(10_000);
  });
});

describe('Typeform: what no playbook needs is answered 2xx and ignored, with the reason', () => {
  it('given a survey abandoned after the reason, without a score, when it is received, then 202, nothing is published, and the reason is given', async () => {
    const { deliver, published } = ingest();
    const payload = typeformPayload('nps-detractor');
    payload.form_response.answers = payload.form_response.answers!.filter((answer) => answer.field.type !== 'nps');

    const response = await deliver(json(payload));

    expect(response).toEqual({
      statusCode: 202,
      body: { accepted: true, events: [], ignored: ['response 8f3c1d2e4b5a69788796a5b4c3d2e1f0 has no answer to the score field Xq7LmN2pR4sT: nothing to score'] },
    });
    expect(published).toEqual([]);
  });

  it('given a form with no nps or opinion_scale field, when it is received, then 202 and it is ignored as not an NPS survey', async () => {
    const { deliver, published } = ingest();
    const payload = typeformPayload('nps-detractor');
    payload.form_response.definition.fields = payload.form_response.definition.fields.filter((field) => field.type !== 'nps');

    const response = await deliver(json(payload));

    expect(response.statusCode).toBe(202);
    expect(response.body.ignored).toEqual(['form Nps2026q4 has no NPS question (an nps field, an opinion scale with ref "nps", or one declared 0–10): not an NPS survey']);
    expect(published).toEqual([]);
  });

  it('given a partial response (event_type form_response_partial), when it is received, then 202 and it is ignored', async () => {
    const { deliver, published } = ingest();
    const payload = { ...typeformPayload('nps-detractor'), event_type: 'form_response_partial' };

    const response = await deliver(json(payload));

    expect(response).toEqual({ statusCode: 202, body: { accepted: true, events: [], ignored: ['event_type "form_response_partial": only form_response (a submitted survey) concerns a playbook'] } });
    expect(published).toEqual([]);
  });
});

describe('Typeform: the signature (sha256= base64 HMAC-SHA256 of the raw body)', () => {
  it('given a delivery signed with the previous secret, during a rotation, when it is received, then it is accepted', async () => {
    expect((await ingest().deliver(typeformSample('nps-detractor'), { secret: PREVIOUS_SECRET })).statusCode).toBe(202);
  });

  it('given a body changed by one byte after signing, when it is received, then 401', async () => {
    const body = typeformSample('nps-detractor');
    const tampered = body.replace('"number": 4', '"number": 9');
    expect(tampered).not.toBe(body);

    const response = await ingest().deliver(tampered, { signature: signTypeform(CURRENT_SECRET, body) });

    expect(response).toEqual({ statusCode: 401, body: { error: 'Signature rejected: it matches none of the active secrets' } });
  });

  it('given a delivery without a Typeform-Signature header (a webhook with no secret), when it is received, then 401 saying so', async () => {
    const response = await ingest().deliver(typeformSample('nps-detractor'), { signature: null });

    expect(response).toEqual({ statusCode: 401, body: { error: 'Missing Typeform-Signature header: give the Typeform webhook a secret so that it signs its requests' } });
  });

  it.each([
    ['signed with a secret nobody configured', () => signTypeform('a secret Typeform was never given', typeformSample('nps-detractor'))],
    ['the digest in hex instead of base64', () => `sha256=${Buffer.from(signTypeform(CURRENT_SECRET, typeformSample('nps-detractor')).slice(7), 'base64').toString('hex')}`],
    ['the digest without its sha256= prefix', () => signTypeform(CURRENT_SECRET, typeformSample('nps-detractor')).slice(7)],
    ['an empty header', () => ''],
  ])('given a delivery %s, when it is received, then 401', async (_how, signature) => {
    const response = await ingest().deliver(typeformSample('nps-detractor'), { signature: signature() });

    expect(response.statusCode).toBe(401);
  });

  it('given a delivery signed long ago (Typeform signs no timestamp), when it is received again, then the signature still verifies: replays are stopped by the event_id, and past the delivery memory by the answer’s age', async () => {
    const submittedIn2018 = json(exampleWithScale({ steps: 11, start_at_one: false }));

    expect(typeform.verify(typeformRequest(submittedIn2018, { secret: CURRENT_SECRET }), [CURRENT_SECRET], new Date('2031-01-01T00:00:00Z'))).toEqual({ verified: true });
    const fresh = ingest(AFTER_EXAMPLE);
    expect((await fresh.deliver(submittedIn2018)).statusCode).toBe(202);
    expect(fresh.published.map((delivery) => delivery.deliveryKey)).toEqual(['typeform#LtWXD3crgy']);
  });
});

describe('Typeform: an answer older than the delivery memory is refused (409), so a replay cannot start a playbook again', () => {
  // The detractor sample was submitted at 2026-11-20T09:12:00Z; the ingest remembers a delivery 3 days and 1 hour (73 hours).
  const SUBMITTED = Date.parse(DETRACTOR_EVENT.data.respondedAt);
  const MEMORY_MS = DELIVERY_MEMORY_SECONDS * 1000;

  it('given an answer received exactly as old as the delivery memory, then it is still accepted: its delivery record, written at or after it was submitted, has not expired', async () => {
    const { deliver, published } = ingest(new Date(SUBMITTED + MEMORY_MS));

    expect((await deliver(typeformSample('nps-detractor'))).statusCode).toBe(202);
    expect(published).toHaveLength(1);
  });

  it('given the same answer a second past the delivery memory (its record may have expired), then 409 saying why, naming submitted_at, and nothing is published', async () => {
    const { deliver, published } = ingest(new Date(SUBMITTED + MEMORY_MS + 1000));

    const response = await deliver(typeformSample('nps-detractor'));

    expect(response).toEqual({
      statusCode: 409,
      body: {
        error: 'This Typeform answer cannot be accepted any more: it was made more than 73 hours ago, longer than the ingest remembers a delivery: a replay could not be told from a first delivery, so it is refused',
        details: ['form_response.submitted_at: it was made more than 73 hours ago, longer than the ingest remembers a delivery: a replay could not be told from a first delivery, so it is refused'],
      },
    });
    expect(published).toEqual([]);
  });

  it('given an answer accepted when it came, when a captured copy is replayed a week later (its record expired), then 409 and no second NpsResponseReceived', async () => {
    const first = ingest(new Date(SUBMITTED + 5000));
    expect((await first.deliver(typeformSample('nps-detractor'))).statusCode).toBe(202);

    const replay = ingest(new Date(SUBMITTED + 7 * 86_400_000));
    expect((await replay.deliver(typeformSample('nps-detractor'))).statusCode).toBe(409);
    expect(replay.published).toEqual([]);
  });

  it('given an old delivery that holds no answer to publish (a partial response), then it is acknowledged and ignored as before: nothing could start twice', async () => {
    const payload = JSON.parse(typeformSample('nps-detractor')) as { event_type: string };
    payload.event_type = 'form_response_partial';
    const { deliver } = ingest(new Date(SUBMITTED + 30 * 86_400_000));

    expect((await deliver(json(payload))).statusCode).toBe(202);
  });

  it.each([
    ['a second', 1, undefined],
    ['73 hours', DELIVERY_MEMORY_SECONDS, undefined],
    ['73 hours and a second', DELIVERY_MEMORY_SECONDS + 1, 'it was made more than 73 hours ago'],
    ['a year', 365 * 86_400, 'it was made more than 73 hours ago'],
  ])('the rule: an answer made %s before now is refused only past the memory', (_age, seconds, refusal) => {
    const now = new Date('2026-11-20T09:12:00Z');
    const problem = olderThanDeliveryMemory(new Date(now.getTime() - seconds * 1000), now);
    if (refusal === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(new RegExp(`^${refusal}`));
  });
});

describe('Typeform: a body that is not what Typeform documents is refused, naming the field', () => {
  const withHidden = (hidden: Record<string, unknown> | undefined) => {
    const payload = typeformPayload('nps-detractor');
    if (hidden === undefined) delete payload.form_response.hidden;
    else payload.form_response.hidden = hidden;
    return json(payload);
  };

  it('given a survey link without the account_id hidden field, when it is received, then 400 naming form_response.hidden.account_id', async () => {
    const { deliver, published } = ingest();

    const response = await deliver(withHidden({ contact_id: 'ct-hugo' }));

    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual(['form_response.hidden.account_id: missing: the survey link must carry the hidden field account_id']);
    expect(published).toEqual([]);
  });

  it('given a response with no hidden fields at all, when it is received, then 400 naming both', async () => {
    const response = await ingest().deliver(withHidden(undefined));

    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([
      'form_response.hidden.account_id: missing: the survey link must carry the hidden field account_id',
      'form_response.hidden.contact_id: missing: the survey link must carry the hidden field contact_id',
    ]);
  });

  it('given an empty contact_id in the link, when it is received, then 400 naming form_response.hidden.contact_id', async () => {
    const response = await ingest().deliver(withHidden({ account_id: 'acc-salon-lumiere', contact_id: '' }));

    expect(response.body.details).toEqual(['form_response.hidden.contact_id: empty: the survey link must give the hidden field contact_id a value']);
  });

  it.each([
    ['a score of 11', { type: 'number', number: 11 }, 'form_response.answers[0].number: expected an integer from 0 to 10'],
    ['a score of 4.5', { type: 'number', number: 4.5 }, 'form_response.answers[0].number: expected an integer from 0 to 10'],
    ['a score answered as text', { type: 'text', text: 'four' }, 'form_response.answers[0].type: the answer to Xq7LmN2pR4sT is not of type number'],
  ])('given %s, when it is received, then 400 naming the answer', async (_what, answer, detail) => {
    const payload = typeformPayload('nps-detractor');
    payload.form_response.answers![0] = { ...answer, field: { id: 'Xq7LmN2pR4sT', type: 'nps' } };

    const response = await ingest().deliver(json(payload));

    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([detail]);
  });

  it('given submitted_at that is not an ISO instant, when it is received, then 400 naming form_response.submitted_at', async () => {
    const payload = typeformPayload('nps-detractor');
    payload.form_response.submitted_at = '20/11/2026 10:12';

    const response = await ingest().deliver(json(payload));

    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([expect.stringMatching(/^form_response\.submitted_at: /)]);
  });

  it('given no event_id, when it is received, then 400 naming event_id', async () => {
    const { event_id: _omitted, ...payload } = typeformPayload('nps-detractor');

    const response = await ingest().deliver(json(payload));

    expect(response.statusCode).toBe(400);
    expect(response.body.details).toEqual([expect.stringMatching(/^event_id: /)]);
  });

  it('given answers that are not a list, when it is received, then 400 naming form_response.answers', async () => {
    const payload = typeformPayload('nps-detractor') as unknown as { form_response: Record<string, unknown> };
    payload.form_response.answers = { score: 4 };

    const response = await ingest().deliver(json(payload));

    expect(response.body.details).toEqual([expect.stringMatching(/^form_response\.answers: /)]);
  });

  it('given a body that is not JSON, when it is received, then 400', async () => {
    const response = await ingest().deliver('{"event_id": "LtWXD3crgy", ');

    expect(response.statusCode).toBe(400);
    expect(response.body.error).toMatch(/^Body is not valid JSON/);
  });

  it('given a form-encoded body, when it is received, then 415', async () => {
    const response = await ingest().deliver('event_id=LtWXD3crgy', { contentType: 'application/x-www-form-urlencoded' });

    expect(response.statusCode).toBe(415);
    expect(response.body.error).toBe('Typeform sends application/json; got "application/x-www-form-urlencoded"');
  });

  it('given a refusal, then it names fields and ids but never echoes a value from the body (no respondent e-mail, name or comment)', async () => {
    const payload = typeformPayload('example-payload');
    delete payload.form_response.hidden!.account_id;

    const response = await ingest().deliver(json(payload));

    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.body)).not.toMatch(/laura|Laura|cold right now|ct-hugo/);
  });
});
