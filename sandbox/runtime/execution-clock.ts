import type { Clock } from '../engine/clock.ts';

/**
 * The sandbox's clock as one execution sees it: the same time and the same timers, plus which of its
 * timers are still pending. The interpreter sleeps on timers (a Wait state, a retry's back-off with its
 * jitter, a Task's timeout, the execution's own timeout) and its event log never says until when: the
 * earliest pending timer is when the execution next wakes up.
 */
export class ExecutionClock implements Clock {
  /** Pending timers by handle (the underlying clock's, so cancelling works on either): when each fires. */
  private readonly pending = new Map<unknown, number>();
  /** Present only when the underlying clock has a random source: the interpreter falls back otherwise. */
  readonly random?: () => number;

  constructor(private readonly clock: Clock) {
    if (clock.random) this.random = () => clock.random!();
  }

  now(): number {
    return this.clock.now();
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const at = this.clock.now() + (Number.isFinite(ms) ? Math.max(0, ms) : 0);
    const handle: unknown = this.clock.setTimeout(() => {
      this.pending.delete(handle);
      callback();
    }, ms);
    this.pending.set(handle, at);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle);
    this.clock.clearTimeout(handle);
  }

  /** When the earliest pending timer fires; undefined when none is pending. */
  nextWakeUp(): number | undefined {
    let earliest: number | undefined;
    for (const at of this.pending.values()) if (earliest === undefined || at < earliest) earliest = at;
    return earliest;
  }
}
