import { setTimeout as delay } from 'node:timers/promises';

/**
 * A call that a later try can change (HTTP 429, 5xx, a dropped connection): `retrying` tries it again,
 * after the server's `Retry-After` when it sent one, else after a growing, jittered back-off.
 */
export class Retryable extends Error {
  override readonly name = 'Retryable';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** `call`, tried again while it throws `Retryable`, `attempts` times at most; the last error is thrown. */
export async function retrying<T>(call: () => Promise<T>, { attempts = 5, sleep = delay }: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Retryable) || attempt >= attempts) throw error;
      // 0.5, 1, 2, 4 s (at most 8), each stretched by up to half: parallel callers do not retry in step.
      await sleep(error.retryAfterMs ?? Math.min(8_000, 500 * 2 ** (attempt - 1)) * (1 + Math.random() / 2));
    }
  }
}

/** `Retry-After` in seconds (what HubSpot, API Gateway and our endpoint send), as milliseconds, at most a minute. */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  const seconds = header && /^\d{1,5}$/.test(header.trim()) ? Number(header.trim()) : undefined;
  return seconds === undefined ? undefined : Math.min(seconds, 60) * 1000;
}
