/**
 * What an outbound adapter throws, classified so that the durable retry lives in the state machine
 * (a Task state's `Retry` on `VendorUnavailable`, with back-off and jitter) and the Lambda never sleeps:
 *
 * - `VendorUnavailable`: 429, 5xx, a timeout or a network failure. Retryable. The vendor's
 *   `Retry-After`, when it sent one, is in the message (Step Functions only sees name and message)
 *   and in `retryAfterSeconds`.
 * - `VendorRejected`: any other refusal (4xx, Slack's `ok:false` other than the benign answers).
 *   Not retryable: the playbook's Catch turns it into a `manual-follow-up` task.
 * - `VendorMisconfigured`: our set-up is wrong (a revoked token, a missing scope, a bot not in the
 *   channel, a paused SES account). Not retryable, and not one task per CSM either: every call fails
 *   the same way until someone fixes the configuration, so it is for ops (the dispatches' dead-letter alarm;
 *   for the refund request, which calls finance itself, the pre-churn playbook's stayed-failed alarm).
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

/** What every vendor error carries: enough to route and count it, nothing a customer wrote. */
abstract class VendorError extends Error {
  readonly vendor: Vendor;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string | undefined;

  protected constructor(what: string, failure: VendorFailure, suffix = '') {
    super(describe(what, failure) + suffix);
    this.vendor = failure.vendor;
    this.operation = failure.operation;
    this.status = failure.status;
    this.code = failure.code;
  }
}

export class VendorUnavailable extends VendorError {
  override readonly name = 'VendorUnavailable';
  readonly retryAfterSeconds: number | undefined;

  constructor(failure: VendorFailure & { retryAfterSeconds?: number | undefined }) {
    super('unavailable', failure, failure.retryAfterSeconds === undefined ? '' : `; Retry-After ${failure.retryAfterSeconds} s`);
    this.retryAfterSeconds = failure.retryAfterSeconds;
  }
}

export class VendorRejected extends VendorError {
  override readonly name = 'VendorRejected';

  constructor(failure: VendorFailure) {
    super('rejected the request', failure);
  }
}

export class VendorMisconfigured extends VendorError {
  override readonly name = 'VendorMisconfigured';

  constructor(failure: VendorFailure) {
    super('refused our configuration', failure);
  }
}

/**
 * 429 and 5xx are the vendor's trouble (or our pace), and 409 a concurrent write of the same record
 * (HubSpot upserts by unique property): each worth a later retry. Any other 4xx is ours.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 409 || status === 429 || status >= 500;
}

/** Codes that mean the credentials, scopes or destination are wrong, whatever the request. */
const MISCONFIGURATION_CODES = new Set([
  // Slack Web API errors
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope',
  'not_in_channel', 'channel_not_found', 'is_archived', 'ekm_access_denied',
  // HubSpot error categories
  'INVALID_AUTHENTICATION', 'EXPIRED_AUTHENTICATION', 'MISSING_SCOPES',
  // SES v2 error types
  'AccountSuspendedException', 'SendingPausedException', 'MailFromDomainNotVerifiedException',
]);

/** A refusal that is not retryable: our configuration's fault (401, 403, a known code), or the request's. */
export function refusal(failure: VendorFailure): VendorRejected | VendorMisconfigured {
  const misconfigured = failure.status === 401 || failure.status === 403 || (failure.code !== undefined && MISCONFIGURATION_CODES.has(failure.code));
  return misconfigured ? new VendorMisconfigured(failure) : new VendorRejected(failure);
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
