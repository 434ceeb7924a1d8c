import { describe, expect, it } from 'vitest';
import type { EmailToSend, Mailer, OutboundPorts } from '../../functions/adapters/ports.ts';
import type { TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import { planApproval } from '../../functions/approvals/plan-approval.ts';
import { requestApproval } from '../../functions/approvals/request-approval.ts';
import { resolveSettings, type ApprovalEdits } from '../../functions/contracts/index.ts';
import { applyDecision } from '../../functions/decide-approval/decide-approval.ts';
import { prepareEmail, type PreparedEmail } from '../../functions/emails/prepare-email.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { sendEmail } from '../../functions/emails/send-email.ts';
import { deliverQueued, depsAt, failureOf, FRIDAY_MORNING, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// prepare-email and send-email against a real DynamoDB API (dynalite): the draft, the queued e-mail
// and the contact's cap are conditional writes, and SES's message id marks an e-mail sent.
useLocalLedger('cs-playbooks-email-functions-test');

const settings = resolveSettings({ nps: { reviewUrl: 'https://reviews.example.com/cs' } });
const approvalSettings = resolveSettings({ nps: { reviewUrl: 'https://reviews.example.com/cs', reviewRequestMode: 'approval' } });

/** A mailer that records what it was asked to send, and can fail after or before "SES" accepted. */
function recordingMailer() {
  const sent: EmailToSend[] = [];
  let loseNextAnswer = false;
  const mailer: Mailer = {
    async send(email) {
      sent.push(email);
      if (loseNextAnswer) {
        loseNextAnswer = false;
        throw new Error('the Lambda crashed after SES accepted the message');
      }
      return { messageId: `ses-${sent.length}` };
    },
  };
  const ports = { mailer } as unknown as OutboundPorts;
  return { sent, ports, loseNextAnswer: () => void (loseNextAnswer = true) };
}

async function prepared(accountId: string, reason = 'evt-promoter-1', contactId = 'ct-tom', withSettings = settings): Promise<PreparedEmail> {
  return invoke(prepareEmail, depsAt(FRIDAY_MORNING, withSettings), { accountId, playbook: 'nps-response', template: 'review-request', reason, contactId });
}

/** The step, then the dispatch drain that runs after it (the table's stream on AWS): what leaves for SES. */
const send = async (accountId: string, preparedEmail: PreparedEmail, ports: OutboundPorts, at = FRIDAY_MORNING) => {
  const deps = depsAt(at, settings, ports);
  const result = await invoke(sendEmail, deps, { accountId, emailId: preparedEmail.emailId });
  await deliverQueued(deps);
  return result;
};

/** Resumes nothing: the decisions here are read back from the ledger by send-email. */
const noCallbacks: TaskCallbacks = { sendTaskSuccess: async () => undefined, sendTaskFailure: async () => undefined };

/** Approval mode: the draft put up for approval (plan-approval, request-approval), as the playbook does. */
async function putUpForApproval(accountId: string, email: PreparedEmail, reason = 'evt-promoter-1'): Promise<string> {
  const deps = { ...depsAt(FRIDAY_MORNING, approvalSettings), callbacks: noCallbacks };
  const plan = await invoke(planApproval, deps, { accountId, playbook: 'nps-response', kind: 'email', reason });
  await invoke(requestApproval, deps, { accountId, playbook: 'nps-response', kind: 'email', reason, emailId: email.emailId, expiresAt: plan.expiresAt, executionId: 'exec-1', taskToken: 'token-1' });
  return plan.approvalId;
}

const decide = (approvalId: string, decision: 'approve' | 'cancel', edits?: ApprovalEdits) =>
  applyDecision({ approvalId, decision, decidedBy: 'csm-camille', ...(edits ? { edits } : {}) }, { ledger, callbacks: noCallbacks, now: () => FRIDAY_MORNING });
/** The contact's address changes in the CRM. */
async function moveContact(accountId: string, address: string): Promise<void> {
  const current = (await ledger.getAccount(accountId))!;
  const { version } = await ledger.readAccountState(accountId);
  await ledger.writeAccountState(accountId, { ...current, contacts: current.contacts.map((c) => (c.id === 'ct-tom' ? { ...c, email: address } : c)) }, {}, version);
}

/** The drain's next sweep, once the failed delivery's retry is due (a minute later, then longer). */
const retryDelivery = (ports: OutboundPorts, at = new Date(FRIDAY_MORNING.getTime() + 60_000)) => deliverQueued(depsAt(at, settings, ports));

describe('prepare-email', () => {
  it('given a promoter on file and auto mode, then send, and the draft rendered in French for that contact is in the ledger, not in the output', async () => {
    const account = await givenAnAccount('prepare');
    const email = await prepared(account.id);

    expect(email).toEqual({ emailId: expect.stringMatching(/^eml-/), action: 'send', template: 'review-request', contactId: 'ct-tom', language: 'fr' });
    const draft = await ledger.getEmail(account.id, email.emailId);
    expect(draft).toMatchObject({ status: 'prepared', action: 'send', contactId: 'ct-tom', to: 'tom.durand@example.com', language: 'fr', preparedAt: '2026-11-13T10:00:00+01:00' });
    expect(draft!.text).toMatch(/^Bonjour Tom Durand,/);
    expect(draft).not.toHaveProperty('approvalId');
    for (const value of ['tom.durand@example.com', 'Tom Durand', draft!.subject]) expect(JSON.stringify(email)).not.toContain(value);
  });

  it('given approval mode, then ask-approval, and the draft names the approval plan-approval derives from the same playbook and reason', async () => {
    const account = await givenAnAccount('prepare-approval');
    const email = await prepared(account.id, 'evt-promoter-1', 'ct-tom', approvalSettings);
    const plan = await invoke(planApproval, depsAt(FRIDAY_MORNING, approvalSettings), { accountId: account.id, playbook: 'nps-response', kind: 'email', reason: 'evt-promoter-1' });

    expect(email).toMatchObject({ action: 'ask-approval' });
    expect(await ledger.getEmail(account.id, email.emailId)).toMatchObject({ status: 'prepared', action: 'ask-approval', approvalId: plan.approvalId });
  });

  it('given the same reason twice, then the same e-mail id: a redelivery finds the same e-mail', async () => {
    const account = await givenAnAccount('prepare-id');
    expect((await prepared(account.id)).emailId).toBe((await prepared(account.id)).emailId);
    expect((await prepared(account.id)).emailId).not.toBe((await prepared(account.id, 'evt-promoter-2')).emailId);
  });

  it('given a draft put up for approval, when the same e-mail is prepared again in auto mode (a redelivery after the settings changed), then the first draft and its decision stand', async () => {
    const account = await givenAnAccount('prepare-again');
    const first = await prepared(account.id, 'evt-promoter-1', 'ct-tom', approvalSettings);
    const draft = await ledger.getEmail(account.id, first.emailId);

    expect(await prepared(account.id)).toEqual(first);
    expect(await ledger.getEmail(account.id, first.emailId)).toEqual(draft);
  });
});

describe('send-email: approval mode, the CSM’s decision and edits read from the ledger', () => {
  it('given the CSM approved with a new subject, then that subject and the draft’s text go out, and the e-mail records who approved it', async () => {
    const account = await givenAnAccount('approved-edit');
    const mail = recordingMailer();
    const email = await prepared(account.id, 'evt-promoter-1', 'ct-tom', approvalSettings);
    const draft = (await ledger.getEmail(account.id, email.emailId))!;
    const approvalId = await putUpForApproval(account.id, email);

    expect((await decide(approvalId, 'approve', { subject: 'Un avis, Tom ?' })).statusCode).toBe(200);
    expect(await send(account.id, email, mail.ports)).toEqual({ emailId: email.emailId, status: 'sent' });

    expect(mail.sent).toEqual([expect.objectContaining({ to: 'tom.durand@example.com', subject: 'Un avis, Tom ?', text: draft.text })]);
    expect(await ledger.getEmail(account.id, email.emailId)).toMatchObject({ status: 'queued', subject: 'Un avis, Tom ?', approvedBy: 'csm-camille', messageId: 'ses-1' });
  });

  it('given the CSM edited the text, when the e-mail is prepared again before the send (a redelivered answer), then the CSM’s text still goes out', async () => {
    const account = await givenAnAccount('edit-kept');
    const mail = recordingMailer();
    const email = await prepared(account.id, 'evt-promoter-1', 'ct-tom', approvalSettings);
    const approvalId = await putUpForApproval(account.id, email);
    await decide(approvalId, 'approve', { text: 'Bonjour Tom, un avis sur notre outil ?' });

    const again = await prepared(account.id, 'evt-promoter-1', 'ct-tom', approvalSettings);
    await send(account.id, again, mail.ports);

    expect(mail.sent.map((e) => e.text)).toEqual(['Bonjour Tom, un avis sur notre outil ?']);
  });

  it('given the approval pending or cancelled, then nothing is queued or sent, and the draft stays a draft', async () => {
    const account = await givenAnAccount('not-approved');
    const mail = recordingMailer();
    const email = await prepared(account.id, 'evt-promoter-1', 'ct-tom', approvalSettings);
    const approvalId = await putUpForApproval(account.id, email);

    expect(await send(account.id, email, mail.ports)).toEqual({ emailId: email.emailId, status: 'not-approved' });
    await decide(approvalId, 'cancel');
    expect(await send(account.id, email, mail.ports)).toEqual({ emailId: email.emailId, status: 'not-approved' });
    expect(mail.sent).toEqual([]);
    expect(await ledger.getEmail(account.id, email.emailId)).toMatchObject({ status: 'prepared' });
    expect(await ledger.getEmailCap(account.id, 'review-request', 'ct-tom')).toBeUndefined();
  });

  it('given an e-mail id nobody prepared, then a contract error (never retried), nothing sent', async () => {
    const account = await givenAnAccount('unprepared');
    const mail = recordingMailer();
    const error = await failureOf(() => send(account.id, { emailId: 'eml-0123456789abcdef0123', action: 'send' }, mail.ports));
    expect(error.name).toBe('ContractError');
    expect(mail.sent).toEqual([]);
  });
});

describe('send-email: record first, send once', () => {
  it('given a prepared e-mail, then its draft is queued with its recipient and text, sent once, and marked with SES’s message id', async () => {
    const account = await givenAnAccount('send');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    const draft = (await ledger.getEmail(account.id, email.emailId))!;

    expect(await send(account.id, email, mail.ports)).toEqual({ emailId: email.emailId, status: 'sent' });
    expect(mail.sent).toEqual([
      { idempotencyKey: email.emailId, accountId: account.id, to: 'tom.durand@example.com', language: 'fr', template: 'review-request', subject: draft.subject, text: draft.text },
    ]);
    expect(await ledger.getEmail(account.id, email.emailId)).toMatchObject({ status: 'queued', contactId: 'ct-tom', to: 'tom.durand@example.com', recordedAt: '2026-11-13T10:00:00+01:00', messageId: 'ses-1' });
  });

  it('given the step retried after success (its answer lost), then nothing is sent again', async () => {
    const account = await givenAnAccount('send-retry');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    await send(account.id, email, mail.ports);

    expect(await send(account.id, email, mail.ports)).toEqual({ emailId: email.emailId, status: 'already-sent' });
    expect(mail.sent).toHaveLength(1);
    expect(await prepared(account.id)).toMatchObject({ action: 'skip', why: 'already-sent' });
  });

  it('given a crash after SES accepted and before the record (the one window left), then the retry sends it again: at least once, never lost', async () => {
    const account = await givenAnAccount('send-crash');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    mail.loseNextAnswer();

    expect(await send(account.id, email, mail.ports)).toMatchObject({ status: 'sent' });
    expect(await ledger.getEmail(account.id, email.emailId)).not.toHaveProperty('messageId');
    expect(await retryDelivery(mail.ports)).toMatchObject({ delivered: 1 });
    expect(await ledger.getEmail(account.id, email.emailId)).toHaveProperty('messageId');
    // Both carry the same idempotency key, SES's `cs_playbooks_id` tag: the duplicate can be traced.
    expect(mail.sent.map((e) => e.idempotencyKey)).toEqual([email.emailId, email.emailId]);
  });

  it('given a retry after the e-mail was queued, when the contact changed address meanwhile, then the first queued words and address are what goes out', async () => {
    const account = await givenAnAccount('send-first-wins');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    const draft = (await ledger.getEmail(account.id, email.emailId))!;
    mail.loseNextAnswer();
    await send(account.id, email, mail.ports);
    await moveContact(account.id, 'tom@new.example.com');

    await send(account.id, email, mail.ports);
    await retryDelivery(mail.ports);
    expect(mail.sent.map((e) => [e.to, e.text])).toEqual([
      ['tom.durand@example.com', draft.text],
      ['tom.durand@example.com', draft.text],
    ]);
  });

  it('given the contact changed address between preparing and sending, then the current address', async () => {
    const account = await givenAnAccount('send-moved');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    await moveContact(account.id, 'tom@new.example.com');

    await send(account.id, email, mail.ports);
    expect(mail.sent.map((e) => e.to)).toEqual(['tom@new.example.com']);
  });

  it('given the contact removed from the CRM before the send, then nothing is queued or sent', async () => {
    const account = await givenAnAccount('send-gone');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    const current = (await ledger.getAccount(account.id))!;
    const { version } = await ledger.readAccountState(account.id);
    await ledger.writeAccountState(account.id, { ...current, contacts: current.contacts.filter((c) => c.id !== 'ct-tom') }, {}, version);

    expect(await send(account.id, email, mail.ports)).toMatchObject({ status: 'no-recipient' });
    expect(mail.sent).toEqual([]);
    expect(await ledger.getEmail(account.id, email.emailId)).toMatchObject({ status: 'prepared' });
  });
});

describe('send-email: the review request’s cap holds at the send', () => {
  it('given two review requests for one contact (two answers), then the first sent holds the cap and the second is not sent, until 12 months later', async () => {
    const account = await givenAnAccount('cap');
    const mail = recordingMailer();
    const first = await prepared(account.id, 'evt-a');
    const second = await prepared(account.id, 'evt-b');

    expect(await send(account.id, first, mail.ports, FRIDAY_MORNING)).toMatchObject({ status: 'sent' });
    expect(await send(account.id, second, mail.ports, FRIDAY_MORNING)).toMatchObject({ status: 'frequency-cap' });
    expect(await prepared(account.id, 'evt-c')).toMatchObject({ action: 'skip', why: 'frequency-cap' });
    const aYearLater = new Date('2027-11-13T10:00:00+01:00');
    expect(await send(account.id, second, mail.ports, aYearLater)).toMatchObject({ status: 'sent' });
    expect(mail.sent).toHaveLength(2);
  });

  it('given the cap taken and the send retried (same e-mail), then it is still this e-mail’s to send', async () => {
    const account = await givenAnAccount('cap-retry');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    mail.loseNextAnswer();
    await send(account.id, email, mail.ports);

    expect(await send(account.id, email, mail.ports)).toMatchObject({ status: 'sent' });
    await retryDelivery(mail.ports);
    expect(mail.sent).toHaveLength(2);
  });
});
