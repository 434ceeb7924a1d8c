/** Which patterns the sandbox bus accepts: every documented form it evaluates, and nothing it would get wrong silently. */
import { describe, expect, it } from 'vitest';
import { assertSupportedPattern, matchesEventPattern } from '../../sandbox/bus/event-pattern.ts';

describe('assertSupportedPattern', () => {
  // "Above": the documented patterns of event-pattern-matching.test.ts and event-pattern-operators.test.ts.
  it('accepts every documented pattern used above', () => {
    expect(() =>
      assertSupportedPattern({
        time: [{ prefix: '2017-10-02' }],
        detail: {
          service: [{ prefix: { 'equals-ignore-case': 'EventB' } }],
          FileName: [{ suffix: { 'equals-ignore-case': '.png' } }, { wildcard: 'dir/*.png' }],
          state: [{ 'anything-but': { prefix: 'init' } }, { exists: true }, null, 'x', 1, false],
          'x-limit': [{ 'anything-but': [100, 200, 300] }, { numeric: ['=', 3.018e2] }],
          FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }],
          Name: [{ 'anything-but': { 'equals-ignore-case': ['alice', 'bob'] } }],
        },
        $or: [{ a: ['1'] }, { b: ['2'] }],
      }),
    ).not.toThrow();
  });

  it('rejects a leaf that is not an array, naming its path', () => {
    expect(() => assertSupportedPattern({ source: 'cs-playbooks' })).toThrow(/\$\.source\b.*array/);
  });

  it('rejects an unknown operator, naming its path', () => {
    expect(() => assertSupportedPattern({ detail: { x: [{ bogus: 1 }] } })).toThrow(
      /\$\.detail\.x\[0\].*unsupported operator "bogus"/,
    );
  });

  it('rejects cidr, which the sandbox does not evaluate', () => {
    expect(() => assertSupportedPattern({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toThrow(
      /\$\.detail\["source-ip"\]\[0\].*"cidr"/,
    );
  });

  it.each([
    ['a non-object pattern', ['aws.ec2'], /at \$:/],
    ['an empty pattern', {}, /at \$: must not be an empty object/],
    ['an empty nested object', { detail: {} }, /\$\.detail: must not be an empty object/],
    ['an empty leaf array', { source: [] }, /\$\.source: must list at least one matcher/],
    ['a nested array in a leaf', { source: [['a']] }, /\$\.source\[0\]/],
    ['two operators in one object', { v: [{ prefix: 'a', suffix: 'b' }] }, /\$\.v\[0\].*exactly one key/],
    ['a non-string prefix', { v: [{ prefix: 1 }] }, /\$\.v\[0\]\.prefix: must be a string/],
    ['a non-boolean exists', { v: [{ exists: 'true' }] }, /\$\.v\[0\]\.exists: must be true or false/],
    ['an unknown numeric operator', { v: [{ numeric: ['!=', 1] }] }, /\$\.v\[0\]\.numeric\[0\]/],
    ['a numeric range in the wrong order', { v: [{ numeric: ['<', 5, '>', 0] }] }, /\$\.v\[0\]\.numeric\[0\]/],
    ['an empty numeric range', { v: [{ numeric: ['>', 5, '<', 5] }] }, /lower bound must be below/],
    ['a numeric string bound', { v: [{ numeric: ['>', '5'] }] }, /\$\.v\[0\]\.numeric\[1\]/],
    ['a numeric bound beyond 1e9', { v: [{ numeric: ['>', 2e9] }] }, /\$\.v\[0\]\.numeric\[1\]/],
    ['a mixed anything-but list', { v: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/],
    ['anything-but null', { v: [{ 'anything-but': null }] }, /\$\.v\[0\]\["anything-but"\]/],
    ['anything-but with a list of prefixes', { v: [{ 'anything-but': { prefix: ['a', 'b'] } }] }, /must be a string/],
    ['anything-but numeric', { v: [{ 'anything-but': { numeric: ['>', 1] } }] }, /unsupported anything-but operator/],
    ['consecutive wildcards', { v: [{ wildcard: 'a**b' }] }, /consecutive "\*"/],
    ['a backslash escaping a letter', { v: [{ wildcard: 'a\\b' }] }, /backslash/],
    ['$or with a single branch', { $or: [{ a: ['1'] }] }, /\$\.\$or: \$or must be an array of at least two/],
    ['$or as an object', { $or: { a: ['1'] } }, /\$\.\$or/],
    ['a malformed $or branch', { $or: [{ a: ['1'] }, { b: '2' }] }, /\$\.\$or\[1\]\.b/],
  ])('rejects %s', (_name, pattern, message) => {
    expect(() => assertSupportedPattern(pattern)).toThrow(message);
  });

  it('is also enforced by matchesEventPattern, so an unchecked pattern never matches silently', () => {
    expect(() => matchesEventPattern({ source: 'cs-playbooks' }, { source: 'cs-playbooks' })).toThrow(/\$\.source/);
  });
});
