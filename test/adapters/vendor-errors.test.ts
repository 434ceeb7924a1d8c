import { describe, expect, it } from 'vitest';
import { retryAfterSeconds, safeCode, VendorRejected, VendorUnavailable } from '../../functions/adapters/vendor-errors.ts';
import { callVendor, type Fetch } from '../../functions/adapters/vendor-http.ts';

// The error classification the state machines rely on: Step Functions matches a Task's error on the
// Lambda error type, which is the error's `name`.

describe('vendor errors', () => {
  it('given a retryable failure, when it is thrown, then its name is VendorUnavailable and its message carries the Retry-After', () => {
    const error = new VendorUnavailable({ vendor: 'hubspot', operation: 'tasks/batch/upsert', status: 429, code: 'RATE_LIMIT:DAILY', retryAfterSeconds: 3600 });

    expect(error.name).toBe('VendorUnavailable');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('hubspot tasks/batch/upsert unavailable: HTTP 429 RATE_LIMIT:DAILY; Retry-After 3600 s');
  });

  it('given a refusal, when it is thrown, then its name is VendorRejected', () => {
    expect(new VendorRejected({ vendor: 'slack', operation: 'chat.postMessage', status: 200, code: 'is_archived' }).name).toBe('VendorRejected');
  });

  it('given Retry-After as seconds or as an HTTP date, when it is read, then it is seconds from now', () => {
    const now = new Date('2026-11-10T09:00:00Z');

    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 10 Nov 2026 09:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });

  it('given a vendor code that is free text, when it is kept for a message, then it is dropped', () => {
    expect(safeCode('channel_not_found')).toBe('channel_not_found');
    expect(safeCode('Email address is not verified: someone@example.com')).toBeUndefined();
  });

  it('given a vendor that does not answer in time, when it is called, then VendorUnavailable TimeoutError, without waiting longer than the bound', async () => {
    const hanging: Fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    const started = Date.now();

    const error = await callVendor({ vendor: 'slack', operation: 'chat.postMessage', method: 'POST', url: 'http://127.0.0.1:9/api', headers: {}, timeoutMs: 50, fetch: hanging }).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ name: 'VendorUnavailable', code: 'TimeoutError', status: undefined });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('which refusals are ops problems', async () => {
  const { refusal, isRetryableStatus } = await import('../../functions/adapters/vendor-errors.ts');
  it('given a 409 from a concurrent upsert of the same record, then it is worth a retry', () => {
    expect(isRetryableStatus(409)).toBe(true);
  });
  it('given a missing scope or a paused sender, then VendorMisconfigured; given a bad field, then VendorRejected', () => {
    expect(refusal({ vendor: 'hubspot', operation: 'tasks/batch/upsert', status: 403, code: 'MISSING_SCOPES' }).name).toBe('VendorMisconfigured');
    expect(refusal({ vendor: 'ses', operation: 'SendEmail', status: 400, code: 'SendingPausedException' }).name).toBe('VendorMisconfigured');
    expect(refusal({ vendor: 'hubspot', operation: 'tasks/batch/upsert', status: 400, code: 'VALIDATION_ERROR' }).name).toBe('VendorRejected');
  });
});
