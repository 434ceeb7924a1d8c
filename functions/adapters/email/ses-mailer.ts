/**
 * Mailer on Amazon SES API v2 `SendEmail`, called over its REST API with `fetch` and a SigV4
 * signature (./sigv4.ts) rather than @aws-sdk/client-sesv2.
 *
 * Why not the SDK client: measured with esbuild (`--bundle --minify --format=esm --platform=node`
 * and the repo's credential-provider / event-streams aliases), @aws-sdk/client-dynamodb alone is
 * 177 KB, with @aws-sdk/client-sesv2 260 KB (+83 KB), and the playbook function bundles already
 * weigh about 290 KB of their budget. This adapter adds a few KB.
 *
 * Contract followed (AWS docs):
 * - https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 *   (https://docs.aws.amazon.com/goto/WebAPI/sesv2-2019-09-27/SendEmail) — `POST /v2/email/outbound-emails`,
 *   `Content-type: application/json`, body `{ FromEmailAddress, Destination: { ToAddresses },
 *   Content: { Simple: { Subject: { Data, Charset }, Body: { Text: { Data, Charset } } } },
 *   EmailTags, ConfigurationSetName }`; answers `{ MessageId }`. Errors: `TooManyRequestsException`
 *   (429), `LimitExceededException`, `BadRequestException`, `MessageRejected`,
 *   `MailFromDomainNotVerifiedException`, `AccountSuspendedException`, `SendingPausedException`,
 *   `NotFoundException`, their type in the `X-Amzn-ErrorType` header.
 * - https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html — over the sending
 *   rate or the daily quota SES refuses the message (throttling): wait and retry.
 * - Endpoint `https://email.<region>.amazonaws.com`, SigV4 signing name `ses`.
 *
 * Idempotency: SendEmail has no idempotency token. The key is sent as the `cs_playbooks_id` e-mail
 * tag (visible in SES event publishing, so a duplicate can be traced), and the caller records the
 * returned message id in the ledger, so a retried step whose send was recorded never sends again.
 * The window left (SES accepted, the answer was lost) can send an e-mail twice, never lose one.
 * SES error messages can contain addresses: only the error type is kept.
 */
import type { EmailToSend, Mailer, SentEmail } from '../ports.ts';
import { isRetryableStatus, refusal, safeCode, VendorRejected, VendorUnavailable } from '../vendor-errors.ts';
import { callVendor, isRecord, type Fetch } from '../vendor-http.ts';
import { signRequest, type AwsCredentials } from './sigv4.ts';

export const ID_TAG = 'cs_playbooks_id';
const OPERATION = 'SendEmail';
/** Refusals that pass with time (rate, quota): retry them rather than hand them to a person. */
const RETRYABLE_TYPES = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException']);

export interface SesConfig {
  /** A verified identity (address or domain) of the stage's SES account. */
  fromAddress: string;
  region: string;
  configurationSet?: string | undefined;
  /** Defaults to https://email.<region>.amazonaws.com; the tests point it at a local server. */
  endpoint?: string | undefined;
  /** Lambda's role credentials come from its environment; read at each call, never cached here. */
  credentials(): AwsCredentials;
  timeoutMs?: number | undefined;
  fetch?: Fetch | undefined;
  /**
   * The wall clock the signature is dated with. Never a simulation's virtual clock: AWS refuses a
   * request signed more than 5 minutes away from its own time. Defaults to the system clock.
   */
  signingClock?: (() => Date) | undefined;
}

export class SesMailer implements Mailer {
  private readonly url: URL;

  constructor(private readonly config: SesConfig) {
    const endpoint = (config.endpoint ?? `https://email.${config.region}.amazonaws.com`).replace(/\/+$/, '');
    this.url = new URL(`${endpoint}/v2/email/outbound-emails`);
  }

  async send(email: EmailToSend): Promise<SentEmail> {
    const { subject, text } = email;
    const body = JSON.stringify({
      FromEmailAddress: this.config.fromAddress,
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: subject, Charset: 'UTF-8' },
          Body: { Text: { Data: text, Charset: 'UTF-8' } },
        },
      },
      EmailTags: [
        { Name: ID_TAG, Value: tagValue(email.idempotencyKey) },
        { Name: 'template', Value: email.template },
      ],
      ...(this.config.configurationSet ? { ConfigurationSetName: this.config.configurationSet } : {}),
    });
    const headers = await signRequest({
      method: 'POST',
      url: this.url,
      headers: { 'content-type': 'application/json' },
      body,
      service: 'ses',
      region: this.config.region,
      credentials: this.config.credentials(),
      now: (this.config.signingClock ?? wallClock)(),
    });
    const answer = await callVendor({
      vendor: 'ses',
      operation: OPERATION,
      method: 'POST',
      url: this.url.toString(),
      headers,
      body,
      timeoutMs: this.config.timeoutMs,
      fetch: this.config.fetch,
    });
    const json = isRecord(answer.json) ? answer.json : {};
    if (answer.status === 200 && typeof json.MessageId === 'string') return { messageId: json.MessageId };
    const code = errorType(answer.headers.get('x-amzn-errortype'), json);
    if (answer.status === 200) throw new VendorRejected({ vendor: 'ses', operation: OPERATION, status: 200, code: 'NoMessageId' });
    if (isRetryableStatus(answer.status) || (code !== undefined && RETRYABLE_TYPES.has(code))) {
      throw new VendorUnavailable({ vendor: 'ses', operation: OPERATION, status: answer.status, code });
    }
    throw refusal({ vendor: 'ses', operation: OPERATION, status: answer.status, code });
  }
}

const wallClock = () => new Date();

/** `X-Amzn-ErrorType: MessageRejected:http://internal.amazon.com/…` → `MessageRejected`; else the body's `__type`/`code`. */
function errorType(header: string | null, body: Record<string, unknown>): string | undefined {
  const fromHeader = header?.split(':')[0];
  const fromBody = typeof body.__type === 'string' ? body.__type.split('#').pop() : body.code;
  return safeCode(fromHeader) ?? safeCode(fromBody);
}

/** E-mail tag values allow ASCII letters, digits, `_` and `-`, up to 256 characters. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
