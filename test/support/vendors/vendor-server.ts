import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The part every local vendor server shares: an HTTP server on 127.0.0.1 that records each request
 * it receives, lets a vendor module answer it, and can be told to
 * - fail the next N requests with a given answer (429 with Retry-After, 503, a 400…), without
 *   acting on them, as a vendor's front door does when it throttles or falls over; or
 * - drop the answer to the next N requests *after* acting on them (the connection is destroyed),
 *   as when a response is lost in transit: the case idempotency keys exist for.
 */

export interface RecordedRequest {
  method: string;
  /** The path, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The JSON body, or `undefined` when there is none or it is not JSON. */
  body: unknown;
  receivedAt: Date;
}

export interface Answer {
  status: number;
  headers?: Record<string, string> | undefined;
  /** Serialized as JSON unless it is a string. */
  body?: unknown;
}

export interface VendorServer {
  url: string;
  /** Every request received, in order (including failed and dropped ones). */
  readonly requests: readonly RecordedRequest[];
  /** Answer the next `count` requests with `answer`, after the failures already planned (they queue up). */
  failNextRequests(count: number, answer: Answer): void;
  dropNextResponses(count: number): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startVendorServer(handle: (request: RecordedRequest) => Answer): Promise<VendorServer> {
  const requests: RecordedRequest[] = [];
  const failures: { remaining: number; answer: Answer }[] = [];
  let drops = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
        receivedAt: new Date(),
      };
      requests.push(request);

      let answer: Answer;
      while (failures[0]?.remaining === 0) failures.shift();
      const failure = failures[0];
      if (failure) {
        failure.remaining--;
        answer = failure.answer;
      } else {
        try {
          answer = handle(request);
        } catch (thrown) {
          answer = { status: 500, body: `local vendor server failed: ${(thrown as Error).message}` };
        }
        if (drops > 0) {
          drops--;
          // Acted on, never answered: the client sees a reset connection.
          res.socket?.destroy();
          return;
        }
      }
      const payload = typeof answer.body === 'string' ? answer.body : answer.body === undefined ? '' : JSON.stringify(answer.body);
      const contentType = typeof answer.body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
      res.writeHead(answer.status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload), ...answer.headers });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNextRequests(count, answer) {
      failures.push({ remaining: count, answer });
    },
    dropNextResponses(count) {
      drops = count;
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
      drops = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
