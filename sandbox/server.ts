import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES, receiveWebhook } from '../functions/ingest/receive-webhook.ts';
import { buildReport } from './report/report.ts';
import type { Sandbox } from './runtime/sandbox.ts';

export interface SandboxServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The sandbox's HTTP face on 127.0.0.1: the webhook endpoint the deployed API Gateway exposes
 * (same `receiveWebhook` code), and the report.
 */
export async function startServer(sandbox: Sandbox, options: { port: number; secrets: readonly string[] }): Promise<SandboxServer> {
  const server = createServer((request, response) => {
    route(sandbox, options.secrets, request, response).catch((error: unknown) => {
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

async function route(sandbox: Sandbox, secrets: readonly string[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/webhooks/events') {
    if (request.method !== 'POST') return send(response, 405, { error: 'Use POST' });
    const rawBody = await readBody(request);
    if (rawBody === 'too-large') return send(response, 413, { error: `Body exceeds ${MAX_BODY_BYTES} bytes` });
    const result = await receiveWebhook(
      { headers: request.headers as Record<string, string | undefined>, rawBody },
      { secrets, publish: async (message) => void sandbox.publish(message) },
    );
    return send(response, result.statusCode, result.body);
  }
  if (path === '/api/report') {
    if (request.method !== 'GET') return send(response, 405, { error: 'Use GET' });
    return send(response, 200, await buildReport(sandbox));
  }
  send(response, 404, { error: `No route ${path}: POST /webhooks/events, GET /api/report` });
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

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}
