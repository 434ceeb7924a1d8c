import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What a local AWS endpoint knows: the one key pair the tests configure, and the region they use. */
export interface SigningExpectation {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The service's signing name in the credential scope (`events`, `secretsmanager`, …). */
  service: string;
}

export interface SignedRequest {
  method: string;
  /** Path and query as received (`/`, `/?a=b`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
/** AWS refuses a request whose X-Amz-Date is more than 15 minutes away from its clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * The server's clock: the wall clock, as the Date header Node writes on its answers, even while a test
 * moves the process's `Date` (a Lambda's clock hours ahead): the SDK corrects its skew from that header,
 * as it does against AWS.
 */
function serverClock(): Date {
  return new Date(performance.timeOrigin + performance.now());
}

/**
 * Check a request's Signature Version 4 the way AWS does (header-based signing): the credential
 * scope (key, date, region, service), the signed headers, the payload hash and the signature
 * itself, recomputed from the canonical request. Returns `'valid'` or why it is not.
 */
export function verifySigV4(request: SignedRequest, expected: SigningExpectation, now = serverClock()): 'valid' | string {
  const authorization = header(request.headers, 'authorization');
  if (!authorization) return 'Missing Authorization header';
  if (!authorization.startsWith(`${ALGORITHM} `)) return `Authorization is not ${ALGORITHM}: ${authorization.slice(0, 40)}`;
  const match = AUTHORIZATION.exec(authorization);
  if (!match) return `Malformed ${ALGORITHM} Authorization header`;
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match as unknown as [string, string, string, string, string, string, string];

  if (accessKeyId !== expected.accessKeyId) return `Unknown access key ${accessKeyId}`;
  if (region !== expected.region) return `Credential scope region ${region}, expected ${expected.region}`;
  if (service !== expected.service) return `Credential scope service ${service}, expected ${expected.service}`;

  const amzDate = header(request.headers, 'x-amz-date');
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) return 'Missing or malformed X-Amz-Date header';
  if (!amzDate.startsWith(scopeDate)) return `X-Amz-Date ${amzDate} is not on the credential scope date ${scopeDate}`;
  const signedAt = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (Math.abs(now.getTime() - signedAt) > MAX_CLOCK_SKEW_MS) return `X-Amz-Date ${amzDate} is too far from the server's clock`;

  const signedHeaders = signedHeaderList.split(';');
  for (const required of ['host', 'x-amz-date']) {
    if (!signedHeaders.includes(required)) return `SignedHeaders does not include ${required}`;
  }
  const unsent = signedHeaders.filter((name) => header(request.headers, name) === undefined);
  if (unsent.length > 0) return `Signed headers not sent: ${unsent.join(', ')}`;

  const bodyHash = sha256Hex(request.body);
  const declaredHash = header(request.headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && declaredHash !== bodyHash) return 'X-Amz-Content-Sha256 does not match the body';
  const payloadHash = declaredHash ?? bodyHash;

  const [path = '/', query = ''] = request.url.split('?', 2);
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery(query),
    ...signedHeaders.map((name) => `${name}:${(header(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}`),
    '',
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${expected.secretAccessKey}`, scopeDate);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const computed = hmac(key, stringToSign);
  const received = Buffer.from(signature, 'hex');
  if (received.length !== computed.length || !timingSafeEqual(received, computed)) {
    return 'The request signature does not match the signature computed from the canonical request';
  }
  return 'valid';
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .map((pair) => pair.split('=', 2).map((part) => encodeRfc3986(decodeURIComponent(part.replace(/\+/g, ' ')))) as [string, string?])
    .sort(([a, av = ''], [b, bv = '']) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value = '']) => `${name}=${value}`)
    .join('&');
}

function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
