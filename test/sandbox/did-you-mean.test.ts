import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../sandbox/did-you-mean.ts';

// What an "unknown …" error suggests: the name meant, when one is close enough to be a typo.

const TYPES = ['AccountUpdated', 'NpsResponseReceived', 'TouchpointLogged', 'TaskCompleted'];

describe('the closest name', () => {
  it('given another case, then the name', () => expect(closestName('npsresponsereceived', TYPES)).toBe('NpsResponseReceived'));
  it('given a typo, then the name', () => expect(closestName('TouchpointLoged', TYPES)).toBe('TouchpointLogged'));
  it('given the beginning of one name only, then that name', () => expect(closestName('NpsResponse', TYPES)).toBe('NpsResponseReceived'));
  it('given a beginning shared by two names, then the nearest, or none', () => expect(closestName('T', TYPES)).toBeUndefined());
  it('given nothing alike, then none', () => expect(closestName('Refund', TYPES)).toBeUndefined());
  it('given a short name one letter off, then the name', () => expect(closestName('prdo', ['dev', 'staging', 'prod'])).toBe('prod'));
  it('given no names, then none', () => expect(closestName('x', [])).toBeUndefined());

  it('given a close name, then the hint to append to an error; else nothing', () => {
    expect(didYouMean('sned', ['send', 'start'])).toBe(' (did you mean "send"?)');
    expect(didYouMean('deploy', ['send', 'start'])).toBe('');
  });
});
