import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES } from '../functions/ingest/receive-webhook.ts';
import { VENDOR_IDS } from '../functions/ingest/vendors/index.ts';
import { awsApiTarget, awsJsonBody, awsJsonContentType, type AwsAnswer } from './api/aws-json.ts';
import { DYNAMODB_TARGET, dynamoDbRequest } from './api/dynamodb.ts';
import { EVENTBRIDGE_TARGET, eventBridgeRequest } from './api/eventbridge.ts';
import { STEP_FUNCTIONS_TARGET, stepFunctionsRequest } from './api/step-functions.ts';
import { consolePage } from './console/pages.ts';
import { buildReport } from './report/report.ts';
import type { SenderSecrets } from './runtime/ingest.ts';
import type { Sandbox } from './runtime/sandbox.ts';
import { defaultSender } from './secrets.ts';

export interface SandboxServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port: number;
  /** Signing secrets of `POST /webhooks/<vendor>`, by vendor and sender (the vendor's id on its own path, a sender's name on `/webhooks/events`). */
  secrets: SenderSecrets;
  /** Signing secrets of `POST /approvals/<id>` (the product sender's of `/webhooks/events` when absent). */
  approvalSecrets?: readonly string[];
}

const APPROVAL_PATH = /^\/approvals\/([^/]+)$/;
const WEBHOOK_PATH = /^\/webhooks\/([^/]*)$/;

/**
 * The sandbox's HTTP face on 127.0.0.1: the webhook endpoint and the approval endpoint the deployed
 * API Gateway exposes (same `receiveWebhook` and `decideApproval` code), the report, and the approvals
 * waiting for a CSM.
 */
export async function startServer(sandbox: Sandbox, options: ServerOptions): Promise<SandboxServer> {
  const server = createServer((request, response) => {
    route(sandbox, options, request, response).catch((error: unknown) => {
      send(response, 500, { error: `Sandbox error: ${(error as Error).message}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const HELD_PATH = /^\/api\/accounts\/([^/]+)\/(held|release)$/;

async function route(sandbox: Sandbox, options: ServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const target = awsApiTarget(request.headers);
  if (target !== undefined && request.method === 'POST') return serveAwsApi(sandbox, target, request, response);
  if (request.method === 'GET' && !path.startsWith('/api/')) {
    const page = await consolePage(sandbox, url);
    if (page) {
      response.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void response.end(page.html);
    }
  }
  const webhook = WEBHOOK_PATH.exec(path);
  if (webhook) {
    const rawBody = await readBody(request);
    if (rawBody === 'too-large') return send(response, 413, { error: `Body exceeds ${MAX_BODY_BYTES} bytes` });
    const result = await sandbox.receiveWebhook(
      // An undecodable name (`%E0`) is no vendor's: the pipeline answers 404.
      safeDecode(webhook[1]!),
      // What the sender called, as HubSpot signs it: this server's address and the path as sent.
      { method: request.method ?? 'POST', url: `http://${request.headers.host ?? '127.0.0.1'}${request.url ?? path}`, headers: request.headers as Record<string, string | undefined>, rawBody },
      options.secrets,
    );
    return send(response, result.statusCode, result.body, result.headers);
  }
  const approval = APPROVAL_PATH.exec(path);
  if (approval) {
    if (request.method !== 'POST') return send(response, 405, { error: 'Use POST' });
    const rawBody = await readBody(request);
    if (rawBody === 'too-large') return send(response, 413, { error: `Body exceeds ${MAX_BODY_BYTES} bytes` });
    const result = await sandbox.decideApproval(
      { approvalId: safeDecode(approval[1]!), headers: request.headers as Record<string, string | undefined>, rawBody },
      options.approvalSecrets ?? options.secrets('events', defaultSender('events')),
    );
    return send(response, result.statusCode, result.body);
  }
  if (path === '/api/approvals') {
    if (request.method !== 'GET') return send(response, 405, { error: 'Use GET' });
    // Pending ones by default: what waits for a CSM; `?status=all` for the history.
    return send(response, 200, await sandbox.approvals({ pending: url.searchParams.get('status') !== 'all' }));
  }
  if (path === '/api/report') {
    if (request.method !== 'GET') return send(response, 405, { error: 'Use GET' });
    return send(response, 200, await buildReport(sandbox));
  }
  // The flood guard's held events of an account (`playbooks held`), and their release (`playbooks release`).
  const held = HELD_PATH.exec(path);
  if (held) {
    const accountId = safeDecode(held[1]!);
    if (held[2] === 'held') return request.method === 'GET' ? send(response, 200, { accountId, held: await sandbox.heldEvents(accountId) }) : send(response, 405, { error: 'Use GET' });
    return request.method === 'POST' ? send(response, 200, { accountId, released: await sandbox.releaseHeld(accountId) }) : send(response, 405, { error: 'Use POST' });
  }
  send(response, 404, { error: `No route ${path}: ${VENDOR_IDS.map((id) => `POST /webhooks/${id}`).join(', ')}, POST /approvals/<id>, GET /api/report, GET /api/approvals, GET /api/accounts/<id>/held, POST /api/accounts/<id>/release; the console: GET /, /accounts/<id>, /executions, /executions/<arn>, /report` });
}

/**
 * The AWS APIs the ops CLI calls, as the sandbox serves them (./api): Step Functions' executions and
 * history, EventBridge's replay, the ledger's reads. The SDK's clients pointed at the sandbox's URL.
 */
async function serveAwsApi(sandbox: Sandbox, target: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const rawBody = await readBody(request);
  const contentType = awsJsonContentType(target.startsWith(EVENTBRIDGE_TARGET) ? '1.1' : '1.0');
  const answer = await (async (): Promise<AwsAnswer> => {
    if (rawBody === 'too-large') return { status: 413, body: { __type: 'RequestEntityTooLargeException', message: `Body exceeds ${MAX_BODY_BYTES} bytes` } };
    const operation = target.slice(target.indexOf('.') + 1);
    const parsed = awsJsonBody(rawBody.toString('utf8'));
    if ('refused' in parsed) return parsed.refused;
    const { body } = parsed;
    if (target.startsWith(DYNAMODB_TARGET)) return dynamoDbRequest(sandbox.ledgerClient, operation, body);
    if (target.startsWith(STEP_FUNCTIONS_TARGET)) return stepFunctionsRequest(sandbox, operation, body);
    if (target.startsWith(EVENTBRIDGE_TARGET)) return eventBridgeRequest(sandbox, operation, body);
    return { status: 400, body: { __type: 'UnknownOperationException', message: `The sandbox serves Step Functions, EventBridge replays and the ledger's reads; not ${target}` } };
  })();
  response.writeHead(answer.status, { 'content-type': contentType });
  response.end(JSON.stringify(answer.body));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The raw bytes (the signature covers them), refusing early past the size limit. */
function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        request.removeAllListeners('data');
        request.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}
