import { describe, expect, it } from 'vitest';
import { monthsBefore, needsStoreCall } from '../../functions/core/nps/store-call.ts';
import { calendar } from '../support/business-calendar.ts';

const ANSWERED = new Date('2026-12-15T10:00:00+01:00');
const account = (country: string, lastStoreOrderAt?: string) => ({ country, timezone: country === 'BE' ? 'Europe/Brussels' : 'Europe/Paris', lastStoreOrderAt });

describe('the store call after a promoter answer (seed 001): in France, and never ordered or last ordered more than two months ago', () => {
  it('given a French account that never ordered on the store, then a store call', () => {
    expect(needsStoreCall(account('FR'), ANSWERED, calendar)).toBe(true);
  });

  it('given a French account that last ordered three months ago, then a store call', () => {
    expect(needsStoreCall(account('FR', '2026-09-15T10:00:00+02:00'), ANSWERED, calendar)).toBe(true);
  });

  it('given a French account that ordered last month, then no store call', () => {
    expect(needsStoreCall(account('FR', '2026-11-20T10:00:00+01:00'), ANSWERED, calendar)).toBe(false);
  });

  it('given an order two months and one day before the answer, then it is more than two months: a store call', () => {
    expect(needsStoreCall(account('FR', '2026-10-14T18:00:00+02:00'), ANSWERED, calendar)).toBe(true);
  });

  it('given an order exactly two months before the answer (same local date), then it is not more than two months: no store call', () => {
    expect(needsStoreCall(account('FR', '2026-10-15T08:00:00+02:00'), ANSWERED, calendar)).toBe(false);
  });

  it('given an order late on 14 October in Paris, stored in UTC as the 14th, then the local date decides', () => {
    expect(needsStoreCall(account('FR', '2026-10-14T23:30:00Z'), ANSWERED, calendar)).toBe(false); // 15 October 01:30 in Paris
  });

  it('given a Belgian account that never ordered, then no store call: the store is French', () => {
    expect(needsStoreCall(account('BE'), ANSWERED, calendar)).toBe(false);
  });
});

describe('monthsBefore: calendar months, the day clamped to the target month', () => {
  it.each([
    ['2026-12-15', '2026-10-15'],
    ['2026-12-31', '2026-10-31'],
    ['2026-04-30', '2026-02-28'],
    ['2028-04-30', '2028-02-29'],
    ['2026-01-10', '2025-11-10'],
  ])('given %s, then two months before is %s', (date, expected) => {
    expect(monthsBefore(date, 2)).toBe(expected);
  });
});
