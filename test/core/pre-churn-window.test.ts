import { describe, expect, it } from 'vitest';
import { preChurnWindow } from '../../functions/core/pre-churn/window.ts';
import { calendar } from '../support/business-calendar.ts';

// seed 001: a pré-churn is a cancellation "dans les 14 jours après la signature du contrat".
const SIGNED = '2026-11-02T15:00:00+01:00'; // Monday 2 November, in Paris
const within = (requestedAt: string, timezone = 'Europe/Paris', signedAt = SIGNED) =>
  preChurnWindow({ signedAt, requestedAt, timezone, windowDays: 14 }, calendar);

describe('the pre-churn window: at most 14 days after the signature, in local days', () => {
  it('given a request on day 14 (16 November), then it is a pre-churn', () => {
    expect(within('2026-11-16T17:00:00+01:00')).toEqual({ days: 14, windowDays: 14, within: true });
  });

  it('given a request on day 15 (17 November), then it is not', () => {
    expect(within('2026-11-17T09:00:00+01:00')).toEqual({ days: 15, windowDays: 14, within: false });
  });

  it('given a request at 23:59 on day 14, more than 14 × 24 hours after the signature, then still in: days, not hours', () => {
    expect(within('2026-11-16T23:59:00+01:00').within).toBe(true);
  });

  it('given a request at 00:30 on day 15 in Paris (23:30 UTC on day 14), then it is out: local days, not UTC', () => {
    expect(within('2026-11-16T23:30:00Z')).toMatchObject({ days: 15, within: false });
  });

  it('given a New York account signed on the evening of 2 November (already the 3rd in UTC), then its days count from its own date', () => {
    const signedAt = '2026-11-02T21:00:00-05:00';
    expect(within('2026-11-16T20:00:00-05:00', 'America/New_York', signedAt)).toMatchObject({ days: 14, within: true });
    expect(within('2026-11-17T08:00:00-05:00', 'America/New_York', signedAt)).toMatchObject({ days: 15, within: false });
  });

  it('given a change of clocks inside the window (Paris, 25 October), then days are still calendar days', () => {
    const signedAt = '2026-10-20T10:00:00+02:00';
    expect(within('2026-11-03T08:00:00+01:00', 'Europe/Paris', signedAt)).toMatchObject({ days: 14, within: true });
    expect(within('2026-11-04T08:00:00+01:00', 'Europe/Paris', signedAt)).toMatchObject({ days: 15, within: false });
  });

  it('given a request the same day as the signature, then day 0, in', () => {
    expect(within('2026-11-02T18:00:00+01:00')).toEqual({ days: 0, windowDays: 14, within: true });
  });

  it('given a request dated before the signature (the CRM disagrees with itself), then day 0: the contract is that young', () => {
    expect(within('2026-11-01T18:00:00+01:00')).toEqual({ days: 0, windowDays: 14, within: true });
  });

  it('given a stage that shortens the window to 7 days, then day 8 is out', () => {
    expect(preChurnWindow({ signedAt: SIGNED, requestedAt: '2026-11-10T10:00:00+01:00', timezone: 'Europe/Paris', windowDays: 7 }, calendar)).toMatchObject({
      days: 8,
      within: false,
    });
  });
});
