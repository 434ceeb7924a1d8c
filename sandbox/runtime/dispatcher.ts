import { DispatchQueue, LEASE_SECONDS } from '../../functions/adapters/dispatch/dispatch-queue.ts';
import { drainDue, SWEEP_LIMIT, type DeliveryDeps } from '../../functions/adapters/dispatch/deliver.ts';
import type { Clock } from '../engine/clock.ts';

/**
 * The sandbox's dispatch drain: what the table's stream (at once) and the minute's sweep (retries) do
 * on AWS, with the same delivery code (functions/adapters/dispatch/deliver.ts). A dispatch written to the table
 * pokes it; a failed delivery's retry is a timer on the sandbox's clock, so a simulation fast-forwards
 * a vendor's two-hour outage like any Wait.
 */
export class SandboxDispatcher {
  private draining = false;
  private again = false;
  private timer: { handle: unknown; at: number } | undefined;
  private stopped = false;
  /** The drain running now, if any: `stop()` waits for it, so that no write outlives the database. */
  private current: Promise<unknown> | undefined;

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly clock: Clock,
    /** Counts the drain as running work, so `settled()` waits for the deliveries a step queued. */
    private readonly track: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  /** Something may be due now: drain (once more, if a drain is running). */
  poke(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    this.current = this.track(() => this.drain()).catch((error: unknown) => {
      // The ledger failed under the drain (a fault a test injects): the dispatches stay due, tried at the next poke or timer.
      this.deps.logger.error('dispatch drain failed', { error: (error as Error).name });
      this.armAt(this.clock.now() + 60_000);
    });
  }

  private async drain(): Promise<void> {
    try {
      let full: boolean;
      do {
        this.again = false;
        const counts = await drainDue(this.deps, SWEEP_LIMIT);
        full = Object.values(counts).reduce((sum, count) => sum + count, 0) >= SWEEP_LIMIT;
      } while ((this.again || full) && !this.stopped);
      const next = await new DispatchQueue(this.deps.ledger).nextDueAt();
      // Still due now: held by a lease (a drain that died), tried again once the lease may have run out.
      if (next) this.armAt(Math.max(next.getTime(), this.clock.now() + (next.getTime() <= this.clock.now() ? LEASE_SECONDS * 1000 : 0)));
    } finally {
      this.draining = false;
    }
  }

  private armAt(at: number): void {
    if (this.stopped) return;
    if (this.timer && this.timer.at <= at) return;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    const handle = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.poke();
      },
      Math.max(0, at - this.clock.now()),
    );
    this.timer = { handle, at };
  }

  /** A retry is armed on the clock: some dispatch is still due. */
  waiting(): boolean {
    return this.timer !== undefined || this.draining;
  }

  /** No more drains; resolves once the one running (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
    await this.current;
  }
}
