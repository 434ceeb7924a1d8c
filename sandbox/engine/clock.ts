/**
 * Clocks for the sandbox interpreter.
 *
 * The Step Functions interpreter only needs "what time is it" and "call me back in N ms".
 * Putting those behind an interface lets one process run executions on real time
 * (`npm start`) and others on a virtual time that jumps straight to the next wake-up
 * (`playbooks simulate`), without patching the process-wide globals.
 */

export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now. Returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a pending timer; unknown or already-fired handles are ignored. */
  clearTimeout(handle: unknown): void;
  /** A random source in [0, 1) for what runs on this clock; `Math.random` when absent. */
  random?(): number;
}

/** Largest delay Node's setTimeout honours; above it Node fires after 1 ms instead. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Splits a delay into chunks Node's setTimeout honours (each ≤ 2^31−1 ms, about 24.8 days),
 * so that a 91-day Wait is a chain of timers instead of one that fires at once.
 * Always returns at least one chunk, so a zero or negative delay is still one (immediate) timer.
 */
export function splitDelay(ms: number): number[] {
  let remaining = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  const chunks: number[] = [];
  while (remaining > MAX_TIMER_DELAY_MS) {
    chunks.push(MAX_TIMER_DELAY_MS);
    remaining -= MAX_TIMER_DELAY_MS;
  }
  chunks.push(remaining);
  return chunks;
}

/** A wall-clock timer: `current` is whichever chunk is pending right now. */
interface WallTimer {
  current: ReturnType<typeof setTimeout> | undefined;
}

/** Real time. Long delays are chained chunk by chunk so they fire at the right moment. */
export const wallClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  setTimeout(callback, ms) {
    const chunks = splitDelay(ms);
    const timer: WallTimer = { current: undefined };
    const armNext = (): void => {
      const chunk = chunks.shift() ?? 0;
      timer.current = setTimeout(chunks.length === 0 ? callback : armNext, chunk);
    };
    armNext();
    return timer;
  },
  clearTimeout(handle) {
    if (isWallTimer(handle)) {
      clearTimeout(handle.current);
      handle.current = undefined;
    }
  },
};

function isWallTimer(handle: unknown): handle is WallTimer {
  return typeof handle === 'object' && handle !== null && 'current' in handle;
}

/** A pending virtual timer. The object itself is the handle given to callers. */
interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * Virtual time that only moves when told to. Timers sit in a queue ordered by due time,
 * then by scheduling order (like Node, equal due times fire first-scheduled first).
 *
 * Why not `@sinonjs/fake-timers`: it copies Node's overflow rule and turns any delay above
 * 2^31−1 ms into 1 ms, which is exactly the bug a 91-day Wait must not have. A sorted
 * array is enough for the handful of timers an execution has pending at once.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: VirtualTimer[] = [];

  readonly #random: () => number;

  constructor(startEpochMs: number) {
    this.#now = startEpochMs;
    this.#random = mulberry32(startEpochMs);
  }

  /** Seeded by the start time: the same simulation draws the same jitter, run after run. */
  random(): number {
    return this.#random();
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    // NaN/negative delays mean "as soon as possible", as with Node; no upper clamp on purpose.
    const delay = Number.isFinite(ms) ? Math.max(0, ms) : 0;
    const timer: VirtualTimer = { at: this.#now + delay, seq: this.#seq++, callback };
    // Insert after every timer due at or before it, keeping the queue sorted and FIFO for ties.
    const index = this.#timers.findIndex((t) => t.at > timer.at);
    this.#timers.splice(index === -1 ? this.#timers.length : index, 0, timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    const index = this.#timers.indexOf(handle as VirtualTimer);
    if (index !== -1) this.#timers.splice(index, 1);
  }

  /** Due time of the earliest pending timer, or undefined when nothing is scheduled. */
  nextWakeUp(): number | undefined {
    return this.#timers[0]?.at;
  }

  pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Fires, in time order, every timer due at or before `ms` (including timers that those
   * callbacks schedule synchronously), moving `now` to each timer's due time as it fires,
   * then sets `now` to `ms`. Time never moves backwards: an earlier `ms` only fires what is
   * already due. If a callback throws, the advance stops there and the error propagates.
   *
   * Callbacks run synchronously; work they trigger through promises (an interpreter moving
   * to its next state) runs afterwards, so a driver should let promises settle between steps.
   */
  advanceTo(ms: number): void {
    const target = Math.max(ms, this.#now);
    for (let next = this.#timers[0]; next !== undefined && next.at <= target; next = this.#timers[0]) {
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = target;
  }

  /** Advances to the earliest pending timer and fires it (and anything due at that instant). */
  runNext(): boolean {
    const next = this.nextWakeUp();
    if (next === undefined) return false;
    this.advanceTo(next);
    return true;
  }
}

/** A small, well-known 32-bit PRNG: deterministic jitter, not cryptography. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
