import { describe, expect, it } from 'vitest';
import type { EmailToSend, Mailer, OutboundPorts } from '../../functions/adapters/ports.ts';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { prepareEmail, type PreparedEmail } from '../../functions/emails/prepare-email.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { sendEmail } from '../../functions/emails/send-email.ts';
import { deliverQueued, depsAt, FRIDAY_MORNING, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// prepare-email and send-email against a real DynamoDB API (dynalite): the e-mail record and the
// contact's cap are conditional writes, and SES's message id marks an e-mail sent.
useLocalLedger('cs-playbooks-email-functions-test');

const settings = resolveSettings({ nps: { reviewUrl: 'https://reviews.example.com/cs' } });

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

async function prepared(accountId: string, reason = 'evt-promoter-1', contactId = 'ct-tom'): Promise<PreparedEmail> {
  return invoke(prepareEmail, depsAt(FRIDAY_MORNING, settings), { accountId, playbook: 'nps-response', template: 'review-request', reason, contactId });
}

/** The step, then the dispatch drain that runs after it (the table's stream on AWS): what leaves for SES. */
const send = async (accountId: string, preparedEmail: PreparedEmail, ports: OutboundPorts, at = FRIDAY_MORNING, reason = 'evt-promoter-1') => {
  const deps = depsAt(at, settings, ports);
  const result = await invoke(sendEmail, deps, { accountId, playbook: 'nps-response', reason, prepared: preparedEmail });
  await deliverQueued(deps);
  return result;
};
/** The drain's next sweep, once the failed delivery's retry is due (a minute later, then longer). */
const retryDelivery = (ports: OutboundPorts, at = new Date(FRIDAY_MORNING.getTime() + 60_000)) => deliverQueued(depsAt(at, settings, ports));

describe('prepare-email', () => {
  it('given a promoter on file and auto mode, then send, rendered in French for that contact, and nothing written', async () => {
    const account = await givenAnAccount('prepare');
    const email = await prepared(account.id);

    expect(email).toMatchObject({ action: 'send', email: { template: 'review-request', contactId: 'ct-tom', to: 'tom.durand@example.com', language: 'fr' } });
    expect(email.email!.text).toMatch(/^Bonjour Tom Durand,/);
    expect(await ledger.getEmail(account.id, email.emailId)).toBeUndefined();
  });

  it('given the same reason twice, then the same e-mail id: a redelivery finds the same e-mail', async () => {
    const account = await givenAnAccount('prepare-id');
    expect((await prepared(account.id)).emailId).toBe((await prepared(account.id)).emailId);
    expect((await prepared(account.id)).emailId).not.toBe((await prepared(account.id, 'evt-promoter-2')).emailId);
  });
});

describe('send-email: record first, send once', () => {
  it('given a prepared e-mail, then it is recorded with its recipient and text, sent once, and marked with SES’s message id', async () => {
    const account = await givenAnAccount('send');
    const mail = recordingMailer();
    const email = await prepared(account.id);

    expect(await send(account.id, email, mail.ports)).toEqual({ emailId: email.emailId, status: 'sent' });
    expect(mail.sent).toEqual([
      { idempotencyKey: email.emailId, accountId: account.id, to: 'tom.durand@example.com', language: 'fr', template: 'review-request', subject: email.email!.subject, text: email.email!.text },
    ]);
    expect(await ledger.getEmail(account.id, email.emailId)).toMatchObject({ contactId: 'ct-tom', to: 'tom.durand@example.com', messageId: 'ses-1' });
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

  it('given a retry with other text (an approval decided twice over), then the first recorded text is what goes out', async () => {
    const account = await givenAnAccount('send-first-wins');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    mail.loseNextAnswer();
    await send(account.id, email, mail.ports);

    await send(account.id, { ...email, email: { ...email.email!, text: 'Another text' } }, mail.ports);
    await retryDelivery(mail.ports);
    expect(mail.sent.map((e) => e.text)).toEqual([email.email!.text, email.email!.text]);
  });

  it('given the contact changed address between preparing and sending, then the current address', async () => {
    const account = await givenAnAccount('send-moved');
    const mail = recordingMailer();
    const email = await prepared(account.id);
    const current = await ledger.getAccount(account.id);
    const { version } = await ledger.readAccountState(account.id);
    const moved = { ...current!, contacts: current!.contacts.map((c) => (c.id === 'ct-tom' ? { ...c, email: 'tom@new.example.com' } : c)) };
    await ledger.writeAccountState(account.id, moved, {}, version);

    await send(account.id, email, mail.ports);
    expect(mail.sent.map((e) => e.to)).toEqual(['tom@new.example.com']);
  });

  it('given the contact removed from the CRM before the send, then nothing is recorded or sent', async () => {
    const account = await givenAnAccount('send-gone');
    const mail = recordingMailer();
    const email = await prepared(account.id);

    expect(await send(account.id, { ...email, email: { ...email.email!, contactId: 'ct-gone' } }, mail.ports)).toMatchObject({ status: 'no-recipient' });
    expect(mail.sent).toEqual([]);
    expect(await ledger.getEmail(account.id, email.emailId)).toBeUndefined();
  });
});

describe('send-email: the review request’s cap holds at the send', () => {
  it('given two review requests for one contact (two answers), then the first sent holds the cap and the second is not sent, until 12 months later', async () => {
    const account = await givenAnAccount('cap');
    const mail = recordingMailer();
    const first = await prepared(account.id, 'evt-a');
    const second = await prepared(account.id, 'evt-b');

    expect(await send(account.id, first, mail.ports, FRIDAY_MORNING, 'evt-a')).toMatchObject({ status: 'sent' });
    expect(await send(account.id, second, mail.ports, FRIDAY_MORNING, 'evt-b')).toMatchObject({ status: 'frequency-cap' });
    expect(await prepared(account.id, 'evt-c')).toMatchObject({ action: 'skip', why: 'frequency-cap' });
    const aYearLater = new Date('2027-11-13T10:00:00+01:00');
    expect(await send(account.id, second, mail.ports, aYearLater, 'evt-b')).toMatchObject({ status: 'sent' });
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
