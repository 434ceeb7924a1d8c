import { describe, expect, it } from 'vitest';
import { addMonths, cancelsSale } from '../../functions/core/feedback/suspension.ts';

// Seed 000: a suspension within the first 3 months of billing cancels the sale.

const suspension = (localDate: string) => ({ kind: 'suspension-request', localDate });

describe('a suspension in the first months of billing cancels the sale', () => {
  it('given billing from 15 January, then a suspension asked on 14 April cancels the sale, and one on 15 April does not', () => {
    expect(cancelsSale(suspension('2027-04-14'), '2027-01-15', 3)).toBe(true);
    expect(cancelsSale(suspension('2027-04-15'), '2027-01-15', 3)).toBe(false);
  });

  it('given the first day of billing, then it cancels the sale', () => {
    expect(cancelsSale(suspension('2027-01-15'), '2027-01-15', 3)).toBe(true);
  });

  it('given a dissatisfaction, not a suspension, then it never cancels the sale', () => {
    expect(cancelsSale({ kind: 'dissatisfaction', localDate: '2027-01-20' }, '2027-01-15', 3)).toBe(false);
  });

  it('given no billing start on file, or a request before it, then there is no sale to cancel', () => {
    expect(cancelsSale(suspension('2027-01-20'), undefined, 3)).toBe(false);
    expect(cancelsSale(suspension('2027-01-10'), '2027-01-15', 3)).toBe(false);
  });

  it('given month ends, then adding months lands on the last day the month has', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2027-10-15', 3)).toBe('2028-01-15');
  });
});
