import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings, type ApprovalOutcome, type DomainEventMessage } from '../../functions/contracts/index.ts';
import type { ApprovalView } from '../../functions/core/approvals/approval.ts';
import { wallClock } from '../../sandbox/engine/clock.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { DEVELOPMENT_WEBHOOK_SECRET } from '../../sandbox/secrets.ts';
import { startServer, type SandboxServer } from '../../sandbox/server.ts';
import { APPROVAL_REHEARSAL, REHEARSAL_CONFIG, upsellRequest } from '../support/approval-rehearsal.ts';
import { parisAccount } from '../support/scenario.ts';

// The signed endpoint as `npm start` serves it: a sandbox on the wall clock running the approval
// fixture, its HTTP server on 127.0.0.1, real requests, and the `playbooks` CLI as a child process.

const run = promisify(execFile);
const OTHER_SECRET = `whsec_${Buffer.from('a key nobody gave to the approvals').toString('base64')}`;

let sandbox: Sandbox;
let server: SandboxServer;

beforeAll(async () => {
  sandbox = await Sandbox.start({ clock: wallClock, settings: resolveSettings(REHEARSAL_CONFIG), playbooks: [APPROVAL_REHEARSAL] });
  await sandbox.importAccounts([parisAccount()]);
  server = await startServer(sandbox, { port: 0, secrets: () => [DEVELOPMENT_WEBHOOK_SECRET], approvalSecrets: [DEVELOPMENT_WEBHOOK_SECRET] });
});

afterAll(async () => {
  await server?.close();
  await sandbox?.stop();
});

let requests = 0;

/** An e-mail put up for approval now: the fixture's execution parks on it. */
async function givenAnApproval(): Promise<ApprovalView> {
  const eventId = `evt-http-${++requests}`;
  sandbox.publish(upsellRequest(new Date().toISOString(), eventId) as unknown as DomainEventMessage);
  await sandbox.settled();
  const approval = (await sandbox.approvals()).find((a) => a.reason === eventId);
  if (!approval) throw new Error('no approval was requested');
  return approval;
}

function post(approvalId: string, body: unknown, { secret = DEVELOPMENT_WEBHOOK_SECRET, sentAt = new Date(), contentType = 'application/json', raw }: { secret?: string; sentAt?: Date; contentType?: string; raw?: string } = {}) {
  const payload = raw ?? JSON.stringify(body);
  const id = `msg_${++requests}`;
  return fetch(`${server.url}/approvals/${approvalId}`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, sentAt, payload),
    },
    body: payload,
  });
}


describe('POST /approvals/<id>: signed like the event webhook', () => {
  it('given a pending approval, when it is approved with a valid signature, then 200, and GET /api/approvals no longer lists it as pending', async () => {
    const approval = await givenAnApproval();
    const pending = (await (await fetch(`${server.url}/api/approvals`)).json()) as ApprovalView[];
    expect(pending.map((a) => a.id)).toContain(approval.id);
    // The CSM's view: the e-mail, read from its draft in the ledger.
    expect(pending.find((a) => a.id === approval.id)?.email).toMatchObject({ to: 'champion@example.com', language: 'fr', subject: 'Prenons un moment pour échanger ?' });
    expect(JSON.stringify(pending)).not.toContain('task-token');

    const response = await post(approval.id, { approvalId: approval.id, decision: 'approve', decidedBy: 'csm-camille' });
    await sandbox.settled();

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ approvalId: approval.id, status: 'approved', decidedBy: 'csm-camille', resumed: 1 });
    expect((await (await fetch(`${server.url}/api/approvals`)).json()) as ApprovalView[]).not.toContainEqual(expect.objectContaining({ id: approval.id }));
    expect((await (await fetch(`${server.url}/api/approvals?status=all`)).json()) as ApprovalView[]).toContainEqual(expect.objectContaining({ id: approval.id, status: 'approved' }));
  });

  it('given a signature made with another secret, or a timestamp ten minutes old, or no signature, then 401 and the approval stays pending', async () => {
    const approval = await givenAnApproval();
    const body = { approvalId: approval.id, decision: 'approve', decidedBy: 'csm-camille' };

    const forged = await post(approval.id, body, { secret: OTHER_SECRET });
    const stale = await post(approval.id, body, { sentAt: new Date(Date.now() - 10 * 60_000) });
    const unsigned = await fetch(`${server.url}/approvals/${approval.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect([forged.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);
    expect(await forged.json()).toEqual({ error: 'Signature rejected: No matching signature found' });
    expect(await stale.json()).toEqual({ error: 'Signature rejected: Message timestamp too old' });
    expect(await unsigned.json()).toEqual({ error: 'Missing signature headers: webhook-id, webhook-timestamp, webhook-signature' });
    expect(await sandbox.approvals({ pending: true })).toContainEqual(expect.objectContaining({ id: approval.id, status: 'pending' }));
  });

  it('given an approval id nobody requested, then 404', async () => {
    const unknown = 'apr-00000000000000000000';
    const response = await post(unknown, { approvalId: unknown, decision: 'approve', decidedBy: 'csm-camille' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: `No approval ${unknown}` });
  });

  it('given a bad body, then 400 naming the field: an unknown decision, edits on a cancel, another approval id than the URL, not JSON', async () => {
    const approval = await givenAnApproval();
    const answers = await Promise.all([
      post(approval.id, { approvalId: approval.id, decision: 'maybe', decidedBy: 'csm-camille' }),
      post(approval.id, { approvalId: approval.id, decision: 'cancel', edits: { subject: 'x' }, decidedBy: 'csm-camille' }),
      post(approval.id, { approvalId: 'apr-00000000000000000000', decision: 'approve', decidedBy: 'csm-camille' }),
      post(approval.id, { approvalId: approval.id, decision: 'approve' }),
      post(approval.id, undefined, { raw: '{"decision":' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    const [decision, edits, mismatch, by, json] = (await Promise.all(answers.map((a) => a.json()))) as { error: string; details?: string[] }[];
    expect(decision!.details).toEqual([expect.stringMatching(/^decision: Invalid option: expected one of "approve"\|"cancel"/)]);
    expect(edits!.details).toEqual(['edits: edits come with "approve" only: a cancelled e-mail is not sent']);
    expect(mismatch!.details).toEqual([`approvalId: apr-00000000000000000000 in the body, ${approval.id} in the URL: they must name the same approval`]);
    expect(by!.details).toEqual([expect.stringMatching(/^decidedBy: /)]);
    expect(json!.error).toMatch(/^Body is not valid JSON/);
    expect(await sandbox.approvals({ pending: true })).toContainEqual(expect.objectContaining({ id: approval.id }));
  });

  it('given a body that is not JSON by its Content-Type, or over 256 KB, then 415 and 413', async () => {
    const approval = await givenAnApproval();
    const body = { approvalId: approval.id, decision: 'approve', decidedBy: 'csm-camille' };
    const text = await post(approval.id, body, { contentType: 'text/plain' });
    const huge = await post(approval.id, undefined, { raw: JSON.stringify({ ...body, edits: { text: 'x'.repeat(300 * 1024) } }) });
    expect([text.status, huge.status]).toEqual([415, 413]);
  });
});

describe('npx playbooks approve / cancel-approval, against the running sandbox', () => {
  const cli = (...args: string[]) => run(process.execPath, ['sandbox/playbooks.mjs', ...args, '--url', server.url], { env: { ...process.env, APPROVAL_SIGNING_SECRETS: '' } });

  it('given a pending approval, when the CSM runs `playbooks approve <id> --edit-subject … --edit-text …`, then the playbook resumes and sends the edited e-mail', async () => {
    const approval = await givenAnApproval();

    const { stdout } = await cli('approve', approval.id, '--edit-subject', 'Une minute pour échanger ?', '--edit-text', 'Bonjour Alex, un appel cette semaine ?', '--by', 'csm-camille');
    await sandbox.settled();

    expect(stdout).toMatch(/^200 OK/);
    const execution = sandbox.executions.find((e) => (e.output as { approval?: ApprovalOutcome } | undefined)?.approval?.approvalId === approval.id);
    expect(execution?.status).toBe('SUCCEEDED');
    expect((execution!.output as { sent: unknown }).sent).toEqual({ emailId: approval.emailId, status: 'sent' });
    expect(await sandbox.ledger.getEmail('acc-paris', approval.emailId)).toMatchObject({
      status: 'queued',
      to: 'champion@example.com',
      subject: 'Une minute pour échanger ?',
      text: 'Bonjour Alex, un appel cette semaine ?',
      approvedBy: 'csm-camille',
    });
  });

  it('given a pending approval, when the CSM runs `playbooks cancel-approval <id>`, then it is cancelled; approving it afterwards exits 1 with the 409', async () => {
    const approval = await givenAnApproval();

    const cancelled = await cli('cancel-approval', approval.id, '--by', 'csm-camille');
    await sandbox.settled();
    const again = await cli('approve', approval.id).catch((error: { code: number; stdout: string }) => error);

    expect(cancelled.stdout).toMatch(/^200 OK/);
    expect(await sandbox.approvals()).toContainEqual(expect.objectContaining({ id: approval.id, status: 'cancelled', outcome: expect.objectContaining({ decidedBy: 'csm-camille' }) }));
    expect(again).toMatchObject({ code: 1, stdout: expect.stringMatching(/^409 Conflict[\s\S]*already cancelled by csm-camille/) });
  });
});
