import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sesClient, SesMailer } from '../../functions/adapters/email/ses-mailer.ts';
import type { EmailToSend } from '../../functions/adapters/ports.ts';
import { renderEmail } from '../../functions/core/emails/templates.ts';
import { startLocalSes, type LocalSes } from '../support/vendors/ses.ts';

// The Mailer, with the SDK's SES v2 client, against a local SendEmail endpoint (test/support/vendors/ses.ts)
// that checks the SigV4 signature (signing name `ses`), the content type and the documented body.

const REGION = 'eu-west-3';
const CREDENTIALS = { accessKeyId: 'AKIASESTEST000000001', secretAccessKey: 'ses-test-secret-access-key' };
const FROM = 'success@cs.example.com';

let ses: LocalSes;

beforeEach(async () => {
  ses = await startLocalSes({ region: REGION, credentials: CREDENTIALS, verifiedIdentities: ['cs.example.com'] });
});

afterEach(async () => {
  // A signature or content-type refusal must never pass as an SES error.
  expect(ses.refusals).toEqual([]);
  await ses.close();
});

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function mailer(overrides: { fromAddress?: string; credentials?: Credentials; configurationSet?: string } = {}) {
  return new SesMailer({
    client: sesClient({ region: REGION, endpoint: ses.url, credentials: overrides.credentials ?? CREDENTIALS }),
    fromAddress: overrides.fromAddress ?? FROM,
    configurationSet: overrides.configurationSet,
  });
}

const proposal: EmailToSend = {
  idempotencyKey: 'eml-acc-1:no-contact-proposal:ctc-1:2026-11-09',
  accountId: 'acc-1',
  to: 'camille.champion@example.com',
  language: 'fr',
  template: 'no-contact-proposal',
  ...renderEmail({ template: 'no-contact-proposal', variables: { contactName: 'Camille', accountName: 'Salon Exemple', csmName: 'Alex Martin' } }, 'fr'),
};

describe('sending a templated e-mail through SES v2', () => {
  it('given a verified sender, when the no-contact proposal is sent in French, then SES receives exactly the documented, signed SendEmail request', async () => {
    const sent = await mailer({ configurationSet: 'cs-playbooks-dev' }).send(proposal);

    expect(ses.requests).toHaveLength(1);
    const [request] = ses.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/v2/email/outbound-emails');
    expect(request!.headers['content-type']).toBe('application/json');
    // Signed by the SDK with the given key, for SES in the region; the local server recomputed the signature.
    expect(request!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/ses/aws4_request, SignedHeaders=[a-z0-9;-]*content-type;host;`));
    const { subject, text } = proposal;
    expect(request!.body).toEqual({
      FromEmailAddress: FROM,
      Destination: { ToAddresses: ['camille.champion@example.com'] },
      Content: { Simple: { Subject: { Data: subject, Charset: 'UTF-8' }, Body: { Text: { Data: text, Charset: 'UTF-8' } } } },
      EmailTags: [
        { Name: 'cs_playbooks_id', Value: 'eml-acc-1_no-contact-proposal_ctc-1_2026-11-09' },
        { Name: 'template', Value: 'no-contact-proposal' },
      ],
      ConfigurationSetName: 'cs-playbooks-dev',
    });
    expect(sent).toEqual({ messageId: ses.sent[0]!.messageId });
    expect(ses.sent[0]!.subject).toBe('Prenons un moment pour échanger ?');
  });

  it('given Lambda’s temporary credentials, when an e-mail is sent, then the session token is sent and signed', async () => {
    const english = renderEmail({ template: 'no-contact-proposal', variables: { contactName: 'Camille', accountName: 'Salon Exemple', csmName: 'Alex Martin' } }, 'en');
    await mailer({ credentials: { ...CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN' } }).send({ ...proposal, language: 'en', ...english });

    const [request] = ses.requests;
    expect(request!.headers['x-amz-security-token']).toBe('IQoJb3JpZ2luX2VjEXAMPLETOKEN');
    expect(request!.headers.authorization).toMatch(/SignedHeaders=[a-z0-9;-]*;x-amz-security-token[;,]/);
    expect(ses.sent[0]!.subject).toBe('Shall we catch up?');
  });

  it('given credentials SES does not know, when an e-mail is sent, then SES refuses the signature (403) and the adapter reports VendorMisconfigured', async () => {
    const error = await mailer({ credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' } })
      .send(proposal)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'VendorMisconfigured', status: 403, code: 'InvalidSignatureException' });
    expect(ses.refusals.map((r) => r.type)).toEqual(['InvalidSignatureException']);
    expect(ses.sent).toHaveLength(0);
    ses.reset(); // that refusal is this test's point
  });

  it('given SES throttles (429 TooManyRequestsException), when an e-mail is sent, then VendorUnavailable and nothing is sent', async () => {
    ses.failNextWithError(1, 429, 'TooManyRequestsException');

    await expect(mailer().send(proposal)).rejects.toMatchObject({ name: 'VendorUnavailable', vendor: 'ses', status: 429, code: 'TooManyRequestsException' });
    expect(ses.sent).toHaveLength(0);
  });

  it('given SES answers 503, when an e-mail is sent, then VendorUnavailable', async () => {
    ses.failNextWithError(1, 503, 'ServiceUnavailable');

    await expect(mailer().send(proposal)).rejects.toMatchObject({ name: 'VendorUnavailable', status: 503 });
  });

  it('given the daily quota is spent (400 LimitExceededException), when an e-mail is sent, then VendorUnavailable: the quota comes back', async () => {
    ses.failNextWithError(1, 400, 'LimitExceededException');

    await expect(mailer().send(proposal)).rejects.toMatchObject({ name: 'VendorUnavailable', status: 400, code: 'LimitExceededException' });
  });

  it('given an unverified sender, when an e-mail is sent, then VendorRejected MessageRejected, and the message names neither address', async () => {
    const error = (await mailer({ fromAddress: 'someone@unverified.example.org' })
      .send(proposal)
      .catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ name: 'VendorRejected', status: 400, code: 'MessageRejected' });
    expect(error.message).toBe('ses SendEmail rejected the request: HTTP 400 MessageRejected');
    expect(error.message).not.toContain('@');
  });

  it('given SES cannot be reached, when an e-mail is sent, then VendorUnavailable', async () => {
    const unreachable = mailer();
    await ses.close();
    ses = await startLocalSes({ region: REGION, credentials: CREDENTIALS, verifiedIdentities: ['cs.example.com'] });

    await expect(unreachable.send(proposal)).rejects.toMatchObject({ name: 'VendorUnavailable', vendor: 'ses', status: undefined });
  });
});
