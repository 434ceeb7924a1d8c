import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import type { Report } from '../../sandbox/report/report.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { restampTimes } from '../../sandbox/samples/restamp.ts';
import { atRestOnAWait } from '../support/running-sandbox.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { reportWhen, until } from '../support/eventually.ts';
import { CURRENT_SECRET, postTypeform, PREVIOUS_SECRET, signTypeform, typeformSample } from '../support/vendors/typeform-webhooks.ts';

// Typeform's NPS answer through the running sandbox (POST /webhooks/typeform, as `npm start` serves it)
// into the nps-response playbook. The webhook's own rules (mapping, signature, refusals) are
// test/ingest/typeform.test.ts's.


describe('Typeform, through the running sandbox: a detractor answer reaches the nps-response playbook once', () => {
  const STANDARD_SECRET = 'whsec_' + Buffer.from('typeform e2e standard webhooks secret').toString('base64');
  let sandbox: Sandbox;
  let server: SandboxServer;

  beforeAll(async () => {
    sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings() });
    server = await startServer(sandbox, { port: 0, secrets: (vendor, sender) => (vendor === 'events' && sender === 'import' ? [STANDARD_SECRET] : vendor === 'typeform' ? [CURRENT_SECRET, PREVIOUS_SECRET] : []) });
  });

  afterAll(async () => {
    await server?.close();
    await sandbox?.stop();
  });

  /** The CRM's account, imported as `playbooks import` does: a Standard Webhooks message signed by the import sender. */
  function importAccount() {
    const body = readFileSync(new URL('../../functions/contracts/samples/AccountUpdated.json', import.meta.url), 'utf8');
    const id = `msg_typeform_e2e_${Date.now()}`;
    const signedAt = new Date();
    return fetch(`${server.url}/webhooks/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)), 'webhook-signature': new Webhook(STANDARD_SECRET).sign(id, signedAt, body) },
      body,
    });
  }



  // Sent as if answered now: an answer older than the delivery memory (3 days 1 hour) is refused 409.
  const ANSWER = restampTimes(typeformSample('nps-detractor'), new Date()).text;

  const npsRuns = () => sandbox.executions.filter((execution) => execution.playbook === 'nps-response');
  const contextReviews = (report: Report) => report.tasks.filter((task) => task.kind === 'detractor-context-review');

  it('given an imported account, when Typeform posts a signed detractor answer (4) for its contact, then the detractor context review is created for the CSM and the team lead', async () => {
    expect((await importAccount()).status).toBe(202);
    await reportWhen(server.url, (report) => report.executions.some((execution) => execution.playbook === 'account-sync' && execution.status !== 'RUNNING'));

    const response = await postTypeform(server.url, ANSWER, { secret: CURRENT_SECRET });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, eventId: 'typeform:01JCXR4T7NPS5DETRACT0R0001', type: 'NpsResponseReceived', events: [{ eventId: 'typeform:01JCXR4T7NPS5DETRACT0R0001', type: 'NpsResponseReceived' }] });
    // ARR 22 800 € ≥ 20 000 €: the team lead gets their own copy, as with any NPS source.
    const report = await reportWhen(server.url, (r) => contextReviews(r).length >= 2);
    expect(contextReviews(report)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'detractor-context-review', accountId: 'acc-salon-lumiere', owner: 'csm-camille', playbook: 'nps-response' }),
        expect.objectContaining({ kind: 'detractor-context-review', accountId: 'acc-salon-lumiere', owner: 'lead-jordan', playbook: 'nps-response' }),
      ]),
    );
    expect(contextReviews(report)).toHaveLength(2);
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', origin: 'nps', status: 'open', accountId: 'acc-salon-lumiere' })]);
  });

  it('when Typeform delivers the same answer again (same event_id), then it is accepted, no execution starts and nothing new is created', async () => {
    await until(() => npsRuns().length === 1 && atRestOnAWait(npsRuns()[0]!));
    const before = (await (await fetch(`${server.url}/api/report`)).json()) as Report;
    const executionsBefore = sandbox.executions.length;

    // Typeform's retry is the same bytes; a retry signed with the previous secret (mid-rotation) too.
    const again = await postTypeform(server.url, ANSWER, { secret: CURRENT_SECRET });
    const rotated = await postTypeform(server.url, ANSWER, { secret: PREVIOUS_SECRET });

    expect(again.status).toBe(202);
    expect(rotated.status).toBe(202);
    // The bus starts a rule's execution as the event is put, before the 202: none was started.
    expect(sandbox.executions).toHaveLength(executionsBefore);
    expect(npsRuns()).toHaveLength(1);
    const report = (await (await fetch(`${server.url}/api/report`)).json()) as Report;
    expect(report.tasks).toEqual(before.tasks);
    expect(report.risks).toEqual(before.risks);
  });

  it('when the body was changed after signing, then 401 and nothing starts', async () => {
    const executionsBefore = sandbox.executions.length;
    const body = ANSWER.replace('01JCXR4T7NPS5DETRACT0R0001', '01JCXR4T7NPS5DETRACT0R0002');
    const response = await fetch(`${server.url}/webhooks/typeform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'typeform-signature': signTypeform(CURRENT_SECRET, ANSWER) },
      body,
    });

    expect(response.status).toBe(401);
    expect(sandbox.executions).toHaveLength(executionsBefore);
  });
});
