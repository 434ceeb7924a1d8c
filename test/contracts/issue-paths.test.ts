import { describe, expect, it } from 'vitest';
import { describeIssues, formatPath, z } from '../../functions/contracts/zod.ts';

// One path style in every message (a 400 answer, a scenario error, a CLI error): an index in brackets,
// a key after a dot, as a reader would write it in JavaScript.

describe('the place a problem names', () => {
  it('given keys and indexes, then indexes are in brackets and keys after dots', () => {
    expect(formatPath(['events', 4, 'detail', 'score'])).toBe('events[4].detail.score');
    expect(formatPath([0, 'timezone'])).toBe('[0].timezone');
    expect(formatPath(['accounts', 0, 'contacts', 1, 'email'])).toBe('accounts[0].contacts[1].email');
    expect(formatPath([])).toBe('');
  });

  it('given a list of accounts with a bad time zone in the second, when it is validated, then the problem names [1].timezone', () => {
    const result = z.array(z.object({ timezone: z.string() })).safeParse([{ timezone: 'Europe/Paris' }, { timezone: 3 }]);
    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toEqual(['[1].timezone: Invalid input: expected string, received number']);
  });

  it('given a prefix, then the problem is named from it: events[2].detail.score', () => {
    const result = z.object({ score: z.number() }).safeParse({ score: 'ten' });
    expect(describeIssues(result.error!, ['events', 2, 'detail'])).toEqual(['events[2].detail.score: Invalid input: expected number, received string']);
  });
});
