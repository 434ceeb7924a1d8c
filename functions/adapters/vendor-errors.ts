/**
 * What an outbound adapter throws, classified so that the durable retry lives in the state machine
 * (a Task state's `Retry` on `VendorUnavailable`, with back-off and jitter) and the Lambda never sleeps:
 *
 * - `VendorUnavailable`: 429, 5xx, a timeout or a network failure. Retryable. The vendor's
 *   `Retry-After`, when it sent one, is in the message (Step Functions only sees name and message)
 *   and in `retryAfterSeconds`.
 * - `VendorRejected`: any other refusal (4xx, Slack's `ok:false` other than the benign answers).
 *   Not retryable: the playbook's Catch turns it into a `manual-follow-up` task.
 *
 * Messages carry the vendor, the operation, the HTTP status and the vendor's machine-readable code
 * (Slack `error`, HubSpot `category`, SES error type), never a response's free text: HubSpot echoes
 * property values and SES echoes e-mail addresses in theirs, and these messages end up in logs and
 * in the execution history.
 */

export type Vendor = 'slack' | 'hubspot' | 'ses';

export interface VendorFailure {
  vendor: Vendor;
  /** The vendor's operation, e.g. `chat.postMessage`, `tasks/batch/upsert`, `SendEmail`. */
  operation: string;
  /** HTTP status, absent for a network failure or a timeout. */
  status?: number | undefined;
  /** The vendor's machine-readable code: Slack `error`, HubSpot `category`, SES error type. */
  code?: string | undefined;
}

export class VendorUnavailable extends Error {
  override readonly name = 'VendorUnavailable';
  readonly vendor: Vendor;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(failure: VendorFailure & { retryAfterSeconds?: number | undefined }) {
    super(describe('unavailable', failure) + (failure.retryAfterSeconds === undefined ? '' : `; Retry-After ${failure.retryAfterSeconds} s`));
    this.vendor = failure.vendor;
    this.operation = failure.operation;
    this.status = failure.status;
    this.code = failure.code;
    this.retryAfterSeconds = failure.retryAfterSeconds;
  }
}

export class VendorRejected extends Error {
  override readonly name = 'VendorRejected';
  readonly vendor: Vendor;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string | undefined;

  constructor(failure: VendorFailure) {
    super(describe('rejected the request', failure));
    this.vendor = failure.vendor;
    this.operation = failure.operation;
    this.status = failure.status;
    this.code = failure.code;
  }
}

/** 429 and 5xx are the vendor's trouble (or our pace), worth a later retry; any other 4xx is ours. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * `Retry-After` as seconds: either delta-seconds or an HTTP-date (RFC 9110 §10.2.3), the latter
 * relative to `now`. Anything else is ignored rather than guessed.
 */
export function retryAfterSeconds(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Vendor codes are identifiers (`channel_not_found`, `RATE_LIMITS`); anything else is not echoed. */
export function safeCode(code: unknown): string | undefined {
  return typeof code === 'string' && /^[A-Za-z0-9_.:-]{1,80}$/.test(code) ? code : undefined;
}

function describe(what: string, failure: VendorFailure): string {
  const parts = [failure.status === undefined ? 'no answer' : `HTTP ${failure.status}`];
  if (failure.code) parts.push(failure.code);
  return `${failure.vendor} ${failure.operation} ${what}: ${parts.join(' ')}`;
}
