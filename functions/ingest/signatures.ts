import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the vendors' signature schemes share: an HMAC of bytes the vendor chose, compared in constant
 * time with the one the request carries, and a window around the timestamp it signed.
 */

/** The HMAC of `data` with `secret`, in the encoding the vendor sends it. */
export function hmac(algorithm: 'sha256' | 'sha1', secret: string | Buffer, data: string | Buffer | readonly (string | Buffer)[], encoding: 'base64' | 'hex'): string {
  const mac = createHmac(algorithm, secret);
  for (const part of Array.isArray(data) ? data : [data]) mac.update(part);
  return mac.digest(encoding);
}

/** Constant-time equality of two signatures (a length mismatch is answered without comparing bytes). */
export function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}

/** Five minutes, the window Standard Webhooks, HubSpot and Slack document. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/** Why a signed timestamp is refused, or undefined when it is within `tolerance` of `now` (either side: clocks drift). */
export function timestampProblem(signedAtMs: number, now: Date, tolerance = TIMESTAMP_TOLERANCE_MS): string | undefined {
  if (!Number.isFinite(signedAtMs)) return 'the signature timestamp is not a number';
  const age = now.getTime() - signedAtMs;
  if (age > tolerance) return `the signature timestamp is ${Math.round(age / 1000)} s old; the window is ${tolerance / 1000} s`;
  if (-age > tolerance) return `the signature timestamp is ${Math.round(-age / 1000)} s in the future; the window is ${tolerance / 1000} s`;
  return undefined;
}

/** Tries each active secret (two during a rotation); the first that verifies wins. */
export function verifiedByAny(secrets: readonly string[], verify: (secret: string) => boolean): { verified: true } | { verified: false; error: string } {
  if (secrets.length === 0) return { verified: false, error: 'No signing secret is configured for this vendor' };
  return secrets.some(verify) ? { verified: true } : { verified: false, error: 'Signature rejected: it matches none of the active secrets' };
}

/** A scheme that signs a timestamp the vendor sends beside the signature (HubSpot v3, Slack v0, Zendesk). */
export interface TimestampedScheme {
  /** Header names as the vendor writes them (compared in lower case). */
  signatureHeader: string;
  timestampHeader: string;
  /** The signed time in ms, or undefined when the header is not in the vendor's format. */
  timestampMs(value: string): number | undefined;
  /** The format, said in an error: "a time in milliseconds". */
  timestampFormat: string;
  /** What the signature header should hold for this secret and timestamp. */
  sign(secret: string, timestamp: string): string;
}

/**
 * Both headers present, the timestamp in the vendor's format and within the window (replays), then
 * the signature compared in constant time with each active secret's. Never throws.
 */
export function verifyTimestamped(scheme: TimestampedScheme, headers: Readonly<Record<string, string | undefined>>, secrets: readonly string[], now: Date): { verified: true } | { verified: false; error: string } {
  const signature = headers[scheme.signatureHeader.toLowerCase()];
  const timestamp = headers[scheme.timestampHeader.toLowerCase()];
  if (!signature) return { verified: false, error: `Missing ${scheme.signatureHeader} header` };
  if (!timestamp) return { verified: false, error: `Missing ${scheme.timestampHeader} header` };
  const signedAt = scheme.timestampMs(timestamp);
  if (signedAt === undefined) return { verified: false, error: `${scheme.timestampHeader} is not ${scheme.timestampFormat}` };
  const problem = timestampProblem(signedAt, now);
  if (problem) return { verified: false, error: `Signature rejected: ${problem}` };
  return verifiedByAny(secrets, (secret) => sameSignature(scheme.sign(secret, timestamp), signature));
}
