import { describe, expect, it } from 'vitest';
import { checkFailed, isLive, isOwnClaim, LEASE_GRACE_MS, wakeUpOf, type Held } from '../../functions/core/checks/held-check.ts';

const held = (overrides: Partial<Held> = {}): Held => ({ accountId: 'acc-paris', status: 'live', holder: 'exec-1', generation: 2, wakeAt: '2027-01-04T09:00:00+01:00', ...overrides });
const token = { holder: 'exec-1', generation: 2 };

describe('a held check: one chain of executions holds it at a time', () => {
  it('given its holder wakes at its generation, then it proceeds; a retried step of a generation that decided gets the decision again', () => {
    expect(wakeUpOf(held(), token)).toEqual({ as: 'proceed', check: held() });
    const decided = { generation: 2, next: { generation: 3, wakeAt: '2027-01-11T09:00:00+01:00' } };
    expect(wakeUpOf(held({ generation: 3, decided }), token)).toEqual({ as: 'retry', decided });
  });

  it('given another holder, an older generation, or a check that ended or failed, then the waking execution is superseded', () => {
    expect(wakeUpOf(held({ holder: 'exec-9' }), token)).toEqual({ as: 'superseded' });
    expect(wakeUpOf(held({ generation: 4 }), token)).toEqual({ as: 'superseded' });
    expect(wakeUpOf(held({ status: 'ended' }), token)).toEqual({ as: 'superseded' });
    expect(wakeUpOf(undefined, token)).toEqual({ as: 'superseded' });
  });

  it('given a holder past its wake-up by more than the grace, then the check is no longer live and the next event takes it over', () => {
    const wakeAt = Date.parse(held().wakeAt!);
    expect(isLive(held(), new Date(wakeAt + LEASE_GRACE_MS))).toBe(true);
    expect(isLive(held(), new Date(wakeAt + LEASE_GRACE_MS + 1))).toBe(false);
    expect(isLive(held({ status: 'failed' }), new Date(wakeAt))).toBe(false);
  });

  it('given the claiming execution retries its start, then its own claim is recognised; after a decision it is not', () => {
    expect(isOwnClaim(held({ generation: 0 }), 'exec-1')).toBe(true);
    expect(isOwnClaim(held({ generation: 0, decided: { generation: 0 } }), 'exec-1')).toBe(false);
    expect(isOwnClaim(held({ generation: 0 }), 'exec-2')).toBe(false);
  });

  it('given the holder fails for good, then only it marks the check failed, once', () => {
    expect(checkFailed(held(), token)).toEqual({ accountId: 'acc-paris', status: 'failed', holder: 'exec-1', generation: 2 });
    expect(checkFailed(held({ holder: 'exec-9' }), token)).toBeUndefined();
    expect(checkFailed(held({ status: 'failed' }), token)).toBeUndefined();
  });
});
