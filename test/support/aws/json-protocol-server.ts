import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4, type SigningExpectation } from './sigv4.ts';

/**
 * A local endpoint for an AWS service speaking the AWS JSON 1.1 (or 1.0) protocol, on 127.0.0.1: `POST /`,
 * the operation in `X-Amz-Target: <prefix>.<Operation>`, `Content-Type: application/x-amz-json-1.1` (1.0),
 * a JSON body, a SigV4 signature. Answers with JSON, errors as `{ __type, message }`.
 *
 * Every request that reaches an operation is recorded; every request the protocol checks refuse is
 * recorded too (`refusals`), so a test can assert that the SDK spoke the protocol correctly instead
 * of seeing a refusal only as a failed call.
 */

export const AWS_JSON_1_1 = 'application/x-amz-json-1.1';
export const AWS_JSON_1_0 = 'application/x-amz-json-1.0';

export interface AwsJsonRequest {
  operation: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  receivedAt: Date;
}

export interface AwsJsonRefusal {
  status: number;
  type: string;
  message: string;
  target: string | undefined;
}

export interface AwsJsonAnswer {
  status: number;
  body: unknown;
}

export type AwsJsonOperation = (body: Record<string, unknown>, request: AwsJsonRequest) => AwsJsonAnswer;

export interface AwsJsonServiceDefinition {
  /** `X-Amz-Target` prefix: `AWSEvents`, `secretsmanager`, … */
  targetPrefix: string;
  /** SigV4 signing name: `events`, `secretsmanager`, … */
  signingName: string;
  /** The protocol's media type: AWS JSON 1.1 unless the service speaks 1.0 (Step Functions, DynamoDB). */
  contentType?: typeof AWS_JSON_1_0 | typeof AWS_JSON_1_1;
  operations: Readonly<Record<string, AwsJsonOperation>>;
}

export interface LocalAwsEndpointOptions {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface AwsJsonServer {
  endpoint: string;
  /** Requests that passed the protocol checks and reached an operation, in order. */
  readonly requests: readonly AwsJsonRequest[];
  /** Requests refused by the protocol checks (target, content type, signature, JSON). */
  readonly refusals: readonly AwsJsonRefusal[];
  /** Answer the next `count` requests with `status` and `{ __type, message }` instead of running them. */
  failNextRequests(count: number, status?: number, type?: string): void;
  reset(): void;
  close(): Promise<void>;
}

export function error(status: number, type: string, message: string): AwsJsonAnswer {
  return { status, body: { __type: type, message } };
}

export async function startAwsJsonServer(service: AwsJsonServiceDefinition, options: LocalAwsEndpointOptions): Promise<AwsJsonServer> {
  const signing: SigningExpectation = { ...options.credentials, region: options.region, service: service.signingName };
  const requests: AwsJsonRequest[] = [];
  const refusals: AwsJsonRefusal[] = [];
  let failures: { remaining: number; status: number; type: string } = { remaining: 0, status: 500, type: 'InternalException' };

  function handle(req: IncomingMessage, rawBody: Buffer): AwsJsonAnswer {
    const target = single(req.headers['x-amz-target']);
    const refuse = (status: number, type: string, message: string): AwsJsonAnswer => {
      refusals.push({ status, type, message, target });
      return error(status, type, message);
    };
    if (req.method !== 'POST' || req.url !== '/') return refuse(404, 'UnknownOperationException', `${req.method} ${req.url} is not an AWS JSON endpoint`);
    const signature = verifySigV4({ method: req.method, url: req.url, headers: req.headers, body: rawBody }, signing);
    if (signature === 'Missing Authorization header') return refuse(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    if (signature !== 'valid') return refuse(403, 'InvalidSignatureException', signature);
    const contentType = single(req.headers['content-type']);
    const expected = service.contentType ?? AWS_JSON_1_1;
    if (contentType !== expected) return refuse(400, 'UnsupportedMediaTypeException', `Content-Type must be ${expected}, got ${contentType ?? 'none'}`);
    const prefix = `${service.targetPrefix}.`;
    const operationName = target?.startsWith(prefix) ? target.slice(prefix.length) : undefined;
    const operation = operationName === undefined ? undefined : service.operations[operationName];
    if (!operationName || !operation) return refuse(400, 'UnknownOperationException', `Unknown X-Amz-Target ${target ?? '(none)'}`);
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return refuse(400, 'SerializationException', 'The request body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse(400, 'SerializationException', 'The request body is not a JSON object');

    const request: AwsJsonRequest = { operation: operationName, body: body as Record<string, unknown>, headers: req.headers, receivedAt: new Date() };
    requests.push(request);
    if (failures.remaining > 0) {
      failures.remaining--;
      return error(failures.status, failures.type, `Injected failure (${failures.status})`);
    }
    return operation(request.body, request);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let answer: AwsJsonAnswer;
      try {
        answer = handle(req, Buffer.concat(chunks));
      } catch (thrown) {
        answer = error(500, 'InternalFailure', `Local ${service.targetPrefix} endpoint failed: ${(thrown as Error).message}`);
      }
      const payload = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'Content-Type': service.contentType ?? AWS_JSON_1_1,
        'Content-Length': Buffer.byteLength(payload),
        'x-amzn-RequestId': randomUUID(),
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    refusals,
    failNextRequests(count, status = 500, type = status >= 500 ? 'InternalException' : 'ValidationException') {
      failures = { remaining: count, status, type };
    },
    reset() {
      requests.length = 0;
      refusals.length = 0;
      failures = { ...failures, remaining: 0 };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
