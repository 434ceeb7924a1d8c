import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmailRecord } from '../../functions/adapters/ledger.ts';
import { DetailSchemas, resolveSettings } from '../../functions/contracts/index.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { buildReport } from '../../sandbox/report/report.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from '../support/scenario.ts';
import { startLocalSes, type LocalSes } from '../support/vendors/ses.ts';

// The review request through SES: nps-response in the sandbox with its mailer port on a local SES v2
// endpoint (test/support/vendors/ses.ts checks the SigV4 signature and the documented body), on the
// virtual clock, with the ASL's real Retry and Catch. The ledger records the e-mail first; SES's
// message id marks it sent, so a retry or a redelivery never sends it twice.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIASESTEST000000002', secretAccessKey: 'ses-sandbox-secret-access-key' };
const ANSWER_AT = '2026-12-15T10:00:00+01:00';

let ses: LocalSes;
let sandbox: Sandbox | undefined;
let clock: VirtualClock;

beforeEach(async () => {
  ses = await startLocalSes({ region: REGION, credentials: CREDENTIALS, verifiedIdentities: ['cs.example.com'] });
});

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
  expect(ses.refusals).toEqual([]);
  await ses.close();
});

async function sandboxWithSes(fromAddress = 'success@cs.example.com'): Promise<Sandbox> {
  clock = new VirtualClock(Date.parse('2026-12-15T08:00:00+01:00'));
  sandbox = await Sandbox.start({
    clock,
    settings: resolveSettings({ nps: { reviewSite: 'Capterra', reviewUrl: 'https://reviews.example.com/cs-playbooks' } }),
    deterministicIds: true,
    vendorEnvironment: {
      SES_FROM_ADDRESS: fromAddress,
      SES_REGION: REGION,
      SES_ENDPOINT: ses.url,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
  });
  await sandbox.importAccounts([
    parisAccount({
      lastStoreOrderAt: '2026-12-08T10:00:00+01:00',
      csmName: 'Camille Martin',
      contacts: [{ id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' }],
    }),
  ]);
  return sandbox;
}

/** Deliver a promoter's answer (`times` deliveries of the same event), then run the clock until every execution ended. */
async function deliverPromoter(running: Sandbox, times = 1): Promise<void> {
  const detail = DetailSchemas.NpsResponseReceived.parse({ eventId: 'evt-promoter', accountId: 'acc-paris', contactId: 'ct-user', score: 10, respondedAt: ANSWER_AT });
  for (let delivery = 0; delivery < times; delivery++) {
    running.publish({ type: 'NpsResponseReceived', timestamp: new Date(clock.now()).toISOString(), data: detail });
    do await running.settled();
    while (running.runningExecutions() > 0 && clock.runNext());
  }
}

describe('the review request through SES', () => {
  it('given SES, when a promoter answers, then one signed SendEmail from the stage sender to the promoter, in French, naming the page and signed by the CSM; the ledger records its message id', async () => {
    const running = await sandboxWithSes();
    await deliverPromoter(running);

    expect(ses.sent).toHaveLength(1);
    const [message] = ses.sent;
    expect(message).toMatchObject({ from: 'success@cs.example.com', to: ['sam.user@example.com'], subject: 'Votre avis compte pour nous' });
    expect(message!.text).toMatch(/^Bonjour Sam User,/);
    expect(message!.text).toContain('Capterra');
    expect(message!.text).toContain('https://reviews.example.com/cs-playbooks');
    expect(message!.text.trimEnd().endsWith('Camille Martin')).toBe(true);
    expect(message!.tags).toEqual(expect.arrayContaining([{ Name: 'template', Value: 'review-request' }]));
    const [recorded] = await running.ledger.scan<EmailRecord>('email');
    expect(recorded).toMatchObject({ template: 'review-request', contactId: 'ct-user', messageId: message!.messageId });
    expect((await buildReport(running)).emails).toEqual([expect.objectContaining({ status: 'sent', to: 'sam.user@example.com' })]);
  });

  it('given SES answers 503 twice, then the step is retried and the e-mail goes out once', async () => {
    const running = await sandboxWithSes();
    ses.failNextWithError(2, 503, 'ServiceUnavailable');
    await deliverPromoter(running);

    expect(ses.requests).toHaveLength(3);
    expect(ses.sent).toHaveLength(1);
    expect(running.executions.filter((e) => e.playbook === 'nps-response').map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the same answer delivered three times, then one SendEmail in all', async () => {
    const running = await sandboxWithSes();
    await deliverPromoter(running, 3);

    expect(ses.sent).toHaveLength(1);
    expect(ses.requests).toHaveLength(1);
  });

  it('given an unverified sender (SES: MessageRejected), then no retry, a manual follow-up for the CSM to send it by hand, the run ends well, and the report shows the e-mail unsent', async () => {
    const running = await sandboxWithSes('success@unverified.example.org');
    await deliverPromoter(running);

    expect(ses.requests).toHaveLength(1);
    expect(ses.sent).toEqual([]);
    const tasks = await running.ledger.scan<Task>('task');
    expect(tasks.map((t) => [t.kind, t.owner])).toEqual([['manual-follow-up', 'csm-camille']]);
    expect(tasks[0]!.details).toContain('Send the review-request e-mail by hand');
    expect(running.executions.filter((e) => e.playbook === 'nps-response').map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect((await buildReport(running)).emails).toEqual([expect.objectContaining({ status: 'unsent' })]);
  });
});
