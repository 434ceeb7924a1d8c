import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { webhookSenders } from '../../functions/ingest/senders.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import type { Report } from '../../sandbox/report/report.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { atRestOnAWait } from '../support/running-sandbox.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { reportWhen, until } from '../support/eventually.ts';

// The running sandbox, as `npm start` runs it: wall clock, HTTP on 127.0.0.1, signed webhooks.
const CURRENT_SECRET = 'whsec_' + Buffer.from('current secret of the e2e test').toString('base64');
const PREVIOUS_SECRET = 'whsec_' + Buffer.from('previous secret, still accepted').toString('base64');

let sandbox: Sandbox;
let server: SandboxServer;

beforeAll(async () => {
  // One sender of /webhooks/events, allowed what this file sends (test/ingest/senders.test.ts has who may say what).
  sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings(), webhookSenders: webhookSenders({ events: { 'e2e-sender': ['AccountUpdated', 'NpsResponseReceived', 'TouchpointLogged'] } }) });
  server = await startServer(sandbox, { port: 0, secrets: (vendor) => (vendor === 'events' ? [CURRENT_SECRET, PREVIOUS_SECRET] : []) });
});

afterAll(async () => {
  await server?.close();
  await sandbox?.stop();
});

function post(body: string, options: { secret?: string; signedAt?: Date; contentType?: string; tamper?: boolean } = {}) {
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  const signedAt = options.signedAt ?? new Date();
  const signature = new Webhook(options.secret ?? CURRENT_SECRET).sign(id, signedAt, body);
  return fetch(`${server.url}/webhooks/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body: options.tamper ? body.replace('"score": 4', '"score": 9') : body,
  });
}



const sample = (type: string) => readFileSync(`functions/contracts/samples/${type}.json`, 'utf8');

describe('given the sandbox is running', () => {
  it('when the CRM sends the account and the NPS tool a signed detractor answer, then the task appears in the report', async () => {
    expect((await post(sample('AccountUpdated'))).status).toBe(202);
    await reportWhen(server.url, (r) => r.executions.some((e) => e.playbook === 'account-sync' && e.status !== 'RUNNING'));
    const response = await post(sample('NpsResponseReceived'));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, eventId: 'evt-sample-npsResponseReceived', type: 'NpsResponseReceived', events: [{ eventId: 'evt-sample-npsResponseReceived', type: 'NpsResponseReceived' }] });

    // ARR 22 800 € ≥ 20 000 €: the team lead gets their own copy. The cool-down and the plan review
    // then wait on the wall clock (the execution stays RUNNING), so only the context reviews are read.
    const contextReviews = (r: Report) => r.tasks.filter((t) => t.kind === 'detractor-context-review');
    const report = await reportWhen(server.url, (r) => contextReviews(r).length >= 2);
    expect(contextReviews(report)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'detractor-context-review', accountId: 'acc-salon-lumiere', owner: 'csm-camille', playbook: 'nps-response' }),
        expect.objectContaining({ kind: 'detractor-context-review', accountId: 'acc-salon-lumiere', owner: 'lead-jordan', playbook: 'nps-response' }),
      ]),
    );
    expect(contextReviews(report)).toHaveLength(2);
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', origin: 'nps', status: 'open' })]);
  });

  it('when the same answer is delivered again, then it is accepted and nothing new is created', async () => {
    // The detractor's follow-up waits on the wall clock: an execution is at rest once it is parked on a
    // Wait state (the cool-down or the plan review) or has ended.
    const npsRuns = () => sandbox.executions.filter((e) => e.playbook === 'nps-response');
    await until(() => npsRuns().length === 1 && atRestOnAWait(npsRuns()[0]!));
    const before = (await (await fetch(`${server.url}/api/report`)).json()) as Report;

    expect((await post(sample('NpsResponseReceived'))).status).toBe(202);
    // The redelivery walks the same steps, creates nothing, and comes to rest where the first one is.
    await until(() => npsRuns().length === 2 && npsRuns().every(atRestOnAWait) && npsRuns()[1]!.transitions === npsRuns()[0]!.transitions);
    const report = (await (await fetch(`${server.url}/api/report`)).json()) as Report;
    expect(npsRuns().map((e) => e.status)).toEqual([npsRuns()[0]!.status, npsRuns()[0]!.status]);
    expect(report.tasks).toEqual(before.tasks);
    expect(report.risks).toEqual(before.risks);
  });

  it('when a message is signed with the previous secret during a rotation, then it is accepted', async () => {
    expect((await post(sample('TouchpointLogged'), { secret: PREVIOUS_SECRET })).status).toBe(202);
  });

  it('when the body was changed after signing, then 401', async () => {
    const response = await post(sample('NpsResponseReceived'), { tamper: true });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/Signature rejected/) });
  });

  it('when the signature is fifteen minutes old, then 401', async () => {
    const response = await post(sample('NpsResponseReceived'), { signedAt: new Date(Date.now() - 15 * 60_000) });
    expect(response.status).toBe(401);
  });

  it('when a secret nobody configured signs it, then 401', async () => {
    expect((await post(sample('NpsResponseReceived'), { secret: 'whsec_' + Buffer.from('stranger').toString('base64') })).status).toBe(401);
  });

  it('when the score is out of range, then 400 naming data.score', async () => {
    const response = await post(sample('NpsResponseReceived').replace('"score": 4', '"score": 11'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String), details: [expect.stringMatching(/^data\.score: /)] });
  });

  it('when the body is not JSON, then 400', async () => {
    expect((await post('{"type": ')).status).toBe(400);
  });

  it('when the content type is not JSON, then 415', async () => {
    expect((await post(sample('NpsResponseReceived'), { contentType: 'text/plain' })).status).toBe(415);
  });

  it('when the body is over 256 KB, then 413', async () => {
    const huge = JSON.stringify({ type: 'NpsResponseReceived', timestamp: '2026-11-20T10:00:00+01:00', data: { padding: 'x'.repeat(300_000) } });
    expect((await post(huge)).status).toBe(413);
  });

  it('when a route does not exist, then 404', async () => {
    expect((await fetch(`${server.url}/webhooks/unknown`, { method: 'POST' })).status).toBe(404);
  });
});
