import { randomUUID } from 'node:crypto';
import { verifySigV4 } from '../aws/sigv4.ts';
import { header, isObject, startVendorServer, type Answer, type RecordedRequest, type VendorServer } from './vendor-server.ts';

/**
 * Amazon SES API v2 `SendEmail` (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html),
 * REST-JSON: `POST /v2/email/outbound-emails`, `Content-Type: application/json`, SigV4 with the
 * signing name `ses` (checked with the same verifier as the other local AWS endpoints). Answers
 * `{ MessageId }`; errors carry their type in `X-Amzn-ErrorType` and `{ message }` in the body.
 * A sender that is not a verified identity is `400 MessageRejected`, whose message names the
 * address, as SES's does: the adapter must not repeat it.
 */

export interface SentMessage {
  messageId: string;
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  tags: readonly { Name: string; Value: string }[];
  configurationSet: string | undefined;
}

export interface LocalSes extends VendorServer {
  readonly sent: readonly SentMessage[];
  readonly refusals: readonly { status: number; type: string; message: string }[];
  failNextWithError(count: number, status: number, type: string): void;
}

const TAG = /^[A-Za-z0-9_-]{1,256}$/;

export function sesError(status: number, type: string, message: string): Answer {
  return { status, headers: { 'X-Amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/` }, body: { message } };
}

export async function startLocalSes(options: {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Verified identities: addresses, or domains (any address of the domain). */
  verifiedIdentities: readonly string[];
}): Promise<LocalSes> {
  const sent: SentMessage[] = [];
  const refusals: { status: number; type: string; message: string }[] = [];
  const refuse = (status: number, type: string, message: string): Answer => {
    refusals.push({ status, type, message });
    return sesError(status, type, message);
  };
  const verified = (address: string) => {
    const domain = address.split('@')[1];
    return options.verifiedIdentities.includes(address) || (domain !== undefined && options.verifiedIdentities.includes(domain));
  };

  function handle(request: RecordedRequest): Answer {
    if (request.method !== 'POST' || request.path !== '/v2/email/outbound-emails') return refuse(404, 'NotFoundException', `No route for ${request.method} ${request.path}`);
    const signature = verifySigV4(
      { method: request.method, url: request.path, headers: request.headers, body: Buffer.from(request.rawBody, 'utf8') },
      { ...options.credentials, region: options.region, service: 'ses' },
    );
    if (signature === 'Missing Authorization header') return refuse(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (signature !== 'valid') return refuse(403, 'InvalidSignatureException', signature);
    if (!(header(request.headers, 'content-type') ?? '').startsWith('application/json')) return refuse(415, 'UnsupportedMediaTypeException', 'Content-Type must be application/json');
    const body = request.body;
    if (!isObject(body)) return refuse(400, 'SerializationException', 'The request body is not a JSON object');

    const simple = isObject(body.Content) && isObject(body.Content.Simple) ? body.Content.Simple : undefined;
    const subject = simple && isObject(simple.Subject) ? simple.Subject.Data : undefined;
    const textPart = simple && isObject(simple.Body) && isObject(simple.Body.Text) ? simple.Body.Text.Data : undefined;
    if (typeof subject !== 'string' || typeof textPart !== 'string') return sesError(400, 'BadRequestException', 'Content.Simple needs Subject.Data and Body.Text.Data');
    const to = isObject(body.Destination) && Array.isArray(body.Destination.ToAddresses) ? body.Destination.ToAddresses : [];
    if (to.length === 0 || to.length > 50 || !to.every((address) => typeof address === 'string' && /^[^@\s]+@[^@\s]+$/.test(address))) {
      return sesError(400, 'BadRequestException', 'Destination.ToAddresses must hold 1 to 50 addresses');
    }
    const tags = Array.isArray(body.EmailTags) ? body.EmailTags : [];
    if (!tags.every((tag) => isObject(tag) && typeof tag.Name === 'string' && TAG.test(tag.Name) && typeof tag.Value === 'string' && TAG.test(tag.Value))) {
      return sesError(400, 'BadRequestException', 'EmailTags names and values may only contain ASCII letters, numbers, underscores and dashes');
    }
    const from = body.FromEmailAddress;
    if (typeof from !== 'string' || !verified(from)) {
      return sesError(
        400,
        'MessageRejected',
        `Email address is not verified. The following identities failed the check in region ${options.region.toUpperCase()}: ${String(from)}, ${to.join(', ')}`,
      );
    }
    const messageId = `0102${randomUUID().replace(/-/g, '')}-000000`;
    sent.push({
      messageId,
      from,
      to: to as string[],
      subject,
      text: textPart,
      tags: tags as { Name: string; Value: string }[],
      configurationSet: typeof body.ConfigurationSetName === 'string' ? body.ConfigurationSetName : undefined,
    });
    return { status: 200, headers: { 'x-amzn-RequestId': randomUUID() }, body: { MessageId: messageId } };
  }

  const server = await startVendorServer(handle);
  const reset = server.reset.bind(server);
  return Object.assign(server, {
    sent,
    refusals,
    failNextWithError(count: number, status: number, type: string) {
      server.failNextRequests(count, sesError(status, type, `Injected ${type}`));
    },
    reset() {
      reset();
      sent.length = 0;
      refusals.length = 0;
    },
  });
}
