import { describe, expect, it } from 'vitest';
import { VirtualClock, wallClock } from '../../sandbox/engine/clock.ts';
import { ExecutionClock } from '../../sandbox/runtime/execution-clock.ts';

// One execution's view of the sandbox's clock: until when it waits is its earliest pending timer.

const START = Date.parse('2026-11-13T09:00:00Z');
const MINUTE = 60_000;

describe('an execution clock', () => {
  it('given a Wait of 91 days and the execution timeout of a year, then it next wakes when the Wait ends', () => {
    const clock = new ExecutionClock(new VirtualClock(START));
    clock.setTimeout(() => undefined, 365 * 24 * 60 * MINUTE);
    clock.setTimeout(() => undefined, 91 * 24 * 60 * MINUTE);
    expect(clock.nextWakeUp()).toBe(START + 91 * 24 * 60 * MINUTE);
  });

  it('given a timer that fired and one that was cleared, then neither is pending any more, and the shared clock fired the first', () => {
    const shared = new VirtualClock(START);
    const clock = new ExecutionClock(shared);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('back-off'), 2 * MINUTE);
    const timeout = clock.setTimeout(() => fired.push('task timeout'), 60 * MINUTE);
    shared.advanceTo(START + 5 * MINUTE);
    expect(fired).toEqual(['back-off']);
    expect(clock.nextWakeUp()).toBe(START + 60 * MINUTE);
    clock.clearTimeout(timeout);
    expect(clock.nextWakeUp()).toBeUndefined();
    expect(shared.pendingTimers()).toBe(0);
  });

  it('given a clock with a random source (a simulation: seeded; the wall clock: Math.random), then the execution draws from it; without one, it has none either', () => {
    const shared = new VirtualClock(START);
    expect(new ExecutionClock(shared).random?.()).toBe(new VirtualClock(START).random());
    const draw = new ExecutionClock(wallClock).random?.();
    expect(draw).toBeGreaterThanOrEqual(0);
    expect(draw).toBeLessThan(1);
    const { random: _random, ...withoutRandom } = wallClock;
    expect(new ExecutionClock(withoutRandom).random).toBeUndefined();
  });
});
