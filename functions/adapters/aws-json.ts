/**
 * One call to an AWS service's JSON API (AWS JSON 1.0 or 1.1) with `fetch` and a SigV4 signature
 * (./email/sigv4.ts), for the functions that cannot carry the SDK's protocol stack under the
 * bundle budget (the ingest: DynamoDB for Powertools idempotency, and EventBridge).
 *
 * Contract followed (AWS docs, each service's API reference, "Common errors"): `POST /`,
 * `Content-Type: application/x-amz-json-1.0|1.1`, `X-Amz-Target: <prefix>.<Operation>`, the request as
 * a JSON body; an error is HTTP 4xx/5xx with its type in `__type` (`com.amazonaws…#Type` or plain) or
 * `X-Amzn-ErrorType`, and a `message`/`Message`. Throttling, 5xx, timeouts and network failures are
 * worth a retry; the rest is an answer.
 */
import { awsRegion, credentialsFromEnvironment } from './aws-environment.ts';
import { AWS_THROTTLING_OR_FAULT, AwsServiceUnavailable } from './aws-unavailable.ts';
import { signRequest, type AwsCredentials } from './email/sigv4.ts';

export interface AwsJsonService {
  /** The SigV4 signing name: `dynamodb`, `events`. */
  signingName: string;
  /** `DynamoDB_20120810`, `AWSEvents`. */
  targetPrefix: string;
  protocol: '1.0' | '1.1';
  region: string;
  /** The service's URL; tests point it at a local server. */
  endpoint: string;
  credentials(): AwsCredentials;
  now(): Date;
  fetch?: typeof globalThis.fetch | undefined;
  timeoutMs?: number | undefined;
}

/**
 * A service as a Lambda calls it: its region and its role's credentials from the environment, and the
 * SDK's own endpoint variable (`AWS_ENDPOINT_URL_<SERVICE>`), so tests point it at a local server.
 */
export function awsJsonServiceFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  now: () => Date,
  service: Pick<AwsJsonService, 'signingName' | 'targetPrefix' | 'protocol'> & { endpointVariable: string },
): AwsJsonService {
  const region = awsRegion(env);
  const { endpointVariable, ...protocol } = service;
  return {
    ...protocol,
    region,
    endpoint: env[endpointVariable] ?? `https://${service.signingName}.${region}.amazonaws.com`,
    credentials: () => credentialsFromEnvironment(env),
    now,
  };
}

/** A refusal from the service (HTTP 4xx that is not throttling): its type and message. */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    /** The error body, parsed (DynamoDB's ConditionalCheckFailedException carries `Item` there). */
    readonly body: Record<string, unknown>,
  ) {
    super(`${operation} refused: HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`);
  }
}

export { AwsServiceUnavailable };

const THROTTLING = AWS_THROTTLING_OR_FAULT;
const ATTEMPTS = 3;

/**
 * `operation` with `request`; the parsed answer. Retries what is worth a retry (three attempts in all,
 * with a short backoff, as the SDK's standard mode does), then throws `AwsServiceUnavailable`; a
 * refusal throws `AwsServiceError` at once.
 */
export async function callAwsJson<T = Record<string, unknown>>(
  service: AwsJsonService,
  operation: string,
  request: unknown,
  { attempts = ATTEMPTS, sleep = defaultSleep }: { attempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const url = new URL(`${service.endpoint.replace(/\/+$/, '')}/`);
  const body = JSON.stringify(request);
  for (let attempt = 1; ; attempt++) {
    const outcome = await once(service, url, operation, body);
    if (outcome.ok) return outcome.json as T;
    if (outcome.error instanceof AwsServiceError || attempt >= attempts) throw outcome.error;
    await sleep(50 * 2 ** (attempt - 1) * (1 + Math.random()));
  }
}

async function once(service: AwsJsonService, url: URL, operation: string, body: string): Promise<{ ok: true; json: unknown } | { ok: false; error: Error }> {
  const headers = await signRequest({
    method: 'POST',
    url,
    headers: { 'content-type': `application/x-amz-json-${service.protocol}`, 'x-amz-target': `${service.targetPrefix}.${operation}` },
    body,
    service: service.signingName,
    region: service.region,
    credentials: service.credentials(),
    now: service.now(),
  });
  let response: Response;
  let text: string;
  try {
    response = await (service.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(service.timeoutMs ?? 3_000) });
    text = await response.text();
  } catch (thrown) {
    return { ok: false, error: new AwsServiceUnavailable(operation, (thrown as Error).name === 'TimeoutError' ? 'timeout' : 'network error') };
  }
  const json = parseObject(text);
  if (response.ok) return { ok: true, json };
  const code = errorType(response.headers.get('x-amzn-errortype'), json);
  if (response.status >= 500 || response.status === 429 || (code !== undefined && THROTTLING.has(code))) {
    return { ok: false, error: new AwsServiceUnavailable(operation, `HTTP ${response.status}${code ? ` ${code}` : ''}`) };
  }
  const message = typeof json.message === 'string' ? json.message : typeof json.Message === 'string' ? json.Message : '';
  return { ok: false, error: new AwsServiceError(operation, response.status, code, message.slice(0, 300), json) };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` or `Type:http://…` → the type; identifiers only. */
function errorType(header: string | null, body: Record<string, unknown>): string | undefined {
  for (const raw of [header, body.__type, body.code]) {
    if (typeof raw !== 'string') continue;
    const name = raw.split(':')[0]!.split('#').pop()!;
    if (/^[A-Za-z0-9_.-]{1,80}$/.test(name)) return name;
  }
  return undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
