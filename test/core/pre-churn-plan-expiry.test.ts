import { describe, expect, it } from 'vitest';
import { planExpiresOn } from '../../functions/core/pre-churn/plan-expiry.ts';
import { calendar } from '../support/business-calendar.ts';

// seed 001: PLAN EXPIRATION DATE "dans une date future (le lendemain)", so the nightly sync churns the account.
describe('the plan expiry: tomorrow, in the account’s time zone', () => {
  it('given a loss at 10:00 in Paris, then tomorrow is the next local date', () => {
    expect(planExpiresOn(new Date('2026-11-16T10:00:00+01:00'), 'Europe/Paris', calendar)).toBe('2026-11-17');
  });

  it('given a loss at 23:30 UTC on the 16th, then it is already the 17th in Paris: tomorrow is the 18th', () => {
    expect(planExpiresOn(new Date('2026-11-16T23:30:00Z'), 'Europe/Paris', calendar)).toBe('2026-11-18');
  });

  it('given the same instant for a New York account, then it is still the 16th there: tomorrow is the 17th', () => {
    expect(planExpiresOn(new Date('2026-11-16T23:30:00Z'), 'America/New_York', calendar)).toBe('2026-11-17');
  });

  it('given a loss on the last day of the year, then tomorrow is in the next year (calendar days, weekends and holidays included)', () => {
    expect(planExpiresOn(new Date('2026-12-31T16:00:00+01:00'), 'Europe/Paris', calendar)).toBe('2027-01-01');
  });
});
