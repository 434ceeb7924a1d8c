import { safeCode, VendorUnavailable, type Vendor } from './vendor-errors.ts';

/**
 * One HTTP call to a vendor with the global `fetch` (Node 20+): each operation the ports make is one
 * documented request. Bounded by a timeout so a Lambda never waits longer than its own
 * time allows; a timeout or a network failure is `VendorUnavailable` (the state machine retries).
 * Any HTTP answer, success or not, is returned for the adapter to classify: each vendor signals
 * failure its own way (Slack answers HTTP 200 with `ok:false`).
 */

/** Default per-call bound: well inside a playbook function's timeout, long enough for a slow vendor. */
// Well under a function's timeout: an adapter call can make up to three requests (HubSpot: company,
// upsert, association), and a slow vendor must surface as VendorUnavailable, not as a Lambda timeout.
export const DEFAULT_VENDOR_TIMEOUT_MS = 3_000;

export type Fetch = typeof globalThis.fetch;

export interface VendorRequest {
  vendor: Vendor;
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  /** Already serialized: signed requests (SES) must send exactly the bytes they signed. */
  body?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: Fetch | undefined;
}

export interface VendorAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or `undefined` when the body is empty or not JSON. */
  json: unknown;
}

export async function callVendor(request: VendorRequest): Promise<VendorAnswer> {
  const doFetch = request.fetch ?? globalThis.fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_VENDOR_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (thrown) {
    // The answer may have been lost after the vendor acted: only idempotent calls make a retry safe,
    // which is why every port method takes an idempotency key.
    throw new VendorUnavailable({ vendor: request.vendor, operation: request.operation, code: networkCode(thrown) });
  }
  return { status: response.status, headers: response.headers, json: parseJson(text) };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `TimeoutError`, `ECONNREFUSED`, `UND_ERR_SOCKET`…: the kind of failure, never a message. */
function networkCode(thrown: unknown): string {
  const error = thrown as { name?: unknown; cause?: { code?: unknown; name?: unknown } };
  return safeCode(error?.cause?.code) ?? safeCode(error?.name === 'TypeError' ? error?.cause?.name : error?.name) ?? 'network-error';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
