/**
 * Mailer on Amazon SES API v2 `SendEmail`, through the SDK's client (@aws-sdk/client-sesv2).
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html: a simple text message
 * from the stage's sender, two e-mail tags, the stage's configuration set; SES answers its `MessageId`.
 *
 * SES is the playbooks' mail vendor, and is retried like the others (functions/adapters/vendor-errors.ts):
 * the client makes one attempt with a bounded wait, and its failure is `VendorUnavailable` (throttled,
 * the daily quota spent, a 5xx, a timeout, no connection), `VendorMisconfigured` (our set-up: a paused
 * or suspended account, an unverified MAIL FROM domain, refused credentials) or `VendorRejected` (the
 * message, e.g. `MessageRejected`); the state machine's Retry waits out the first (minutes, jittered:
 * https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html). SES error messages can
 * contain addresses: only the error type is kept.
 *
 * Idempotency: SendEmail has no idempotency token. The key is sent as the `cs_playbooks_id` e-mail
 * tag (visible in SES event publishing, so a duplicate can be traced), and the caller records the
 * returned message id in the ledger, so a retried step whose send was recorded never sends again.
 * The window left (SES accepted, the answer was lost) can send an e-mail twice, never lose one.
 */
import { SendEmailCommand, SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import type { EmailToSend, Mailer, SentEmail } from '../ports.ts';
import { isRetryableStatus, refusal, safeCode, VendorRejected, VendorUnavailable } from '../vendor-errors.ts';
import { DEFAULT_VENDOR_TIMEOUT_MS } from '../vendor-http.ts';

export const ID_TAG = 'cs_playbooks_id';
const OPERATION = 'SendEmail';
/** Refusals that pass with time (rate, quota): retry them rather than hand them to a person. */
const RETRYABLE_TYPES = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException']);

export interface SesClientConfig {
  region: string;
  /** Defaults to SES's own endpoint in `region`; the sandbox and the tests point it at a local server. */
  endpoint?: string | undefined;
  /** Defaults to the SDK's credential chain (on Lambda, the role's). */
  credentials?: SESv2ClientConfig['credentials'] | undefined;
  timeoutMs?: number | undefined;
}

/** The SES v2 client a mailer sends with: one attempt, each connection and answer bounded by `timeoutMs`. */
export function sesClient({ region, endpoint, credentials, timeoutMs = DEFAULT_VENDOR_TIMEOUT_MS }: SesClientConfig): SESv2Client {
  return new SESv2Client({
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeoutMs, requestTimeout: timeoutMs },
  });
}

export interface SesConfig {
  client: SESv2Client;
  /** A verified identity (address or domain) of the stage's SES account. */
  fromAddress: string;
  configurationSet?: string | undefined;
}

export class SesMailer implements Mailer {
  constructor(private readonly config: SesConfig) {}

  async send(email: EmailToSend): Promise<SentEmail> {
    const command = new SendEmailCommand({
      FromEmailAddress: this.config.fromAddress,
      Destination: { ToAddresses: [email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
        },
      },
      EmailTags: [
        { Name: ID_TAG, Value: tagValue(email.idempotencyKey) },
        { Name: 'template', Value: email.template },
      ],
      ...(this.config.configurationSet ? { ConfigurationSetName: this.config.configurationSet } : {}),
    });
    const { MessageId } = await this.config.client.send(command).catch((error: unknown) => Promise.reject(vendorError(error)));
    if (MessageId === undefined) throw new VendorRejected({ vendor: 'ses', operation: OPERATION, status: 200, code: 'NoMessageId' });
    return { messageId: MessageId };
  }
}

/** The SDK's error as a vendor error: its HTTP status and error type only, never its message. */
function vendorError(error: unknown): unknown {
  const sdk = error as Error & { $metadata?: { httpStatusCode?: number }; code?: unknown };
  // Not the client's (a bug): as it is.
  if (!(error instanceof Error) || sdk.$metadata === undefined) return error;
  const status = sdk.$metadata.httpStatusCode;
  // No answer: a timeout or no connection (`code` ECONNREFUSED…, else the error's name).
  if (status === undefined) return new VendorUnavailable({ vendor: 'ses', operation: OPERATION, code: safeCode(sdk.code) ?? safeCode(sdk.name) });
  const code = safeCode(sdk.name);
  if (isRetryableStatus(status) || (code !== undefined && RETRYABLE_TYPES.has(code))) return new VendorUnavailable({ vendor: 'ses', operation: OPERATION, status, code });
  return refusal({ vendor: 'ses', operation: OPERATION, status, code });
}

/** E-mail tag values allow ASCII letters, digits, `_` and `-`, up to 256 characters. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
