import { asAwsUnavailable, AwsServiceUnavailable } from '../../functions/adapters/aws-unavailable.ts';
import { DEFAULT_SETTINGS, resolveSettings, type Settings } from '../../functions/contracts/index.ts';
import { VirtualClock } from '../engine/clock.ts';
import { buildReport, type Report } from '../report/report.ts';
import { Sandbox, type SandboxOptions } from '../runtime/sandbox.ts';
import type { Scenario } from './scenario.ts';

/** Enough for years of daily wake-ups; a scenario that needs more is looping. */
const MAX_WAKE_UPS = 1_000_000;

/**
 * When a vendor delivers again an event the ingest could not take (it answered 5xx: the table it seals
 * personal fields in was down), after each failed attempt: Standard Webhooks' schedule (5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h). A scenario event is such a delivery.
 */
const VENDOR_RETRY_DELAYS_MS = [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6];

/**
 * Run a scenario on a virtual clock: deliver each event at its time, and whenever nothing can
 * happen before the clock moves, jump to the next wake-up. Ends at `until`, or when no execution
 * waits any more and no event is left to deliver.
 */
export interface SimulateOptions extends Pick<SandboxOptions, 'intercept' | 'tableFault' | 'vendorEnvironment' | 'fetch' | 'playbooks' | 'onHistoryEvent' | 'onActivity' | 'logLevel'> {
  /** Called with the sandbox once the run is over, before it stops: for tests that look beyond the report. */
  inspect?: (sandbox: Sandbox) => void | Promise<void>;
  /** Called with the sandbox before the first event: for tests that bind a local vendor server to the simulation's clock. */
  onStart?: (sandbox: Sandbox) => void;
  /** The settings the scenario's `config` is merged over: a stage's (`--stage prod`), or the defaults. */
  baseSettings?: Settings;
  /** Told where the run is after every wake-up (cheap to call: a display decides how often it shows it). */
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  /** The virtual instant reached (epoch ms). */
  at: number;
  /** Executions started so far. */
  executions: number;
}

export async function simulate(scenario: Scenario, { baseSettings = DEFAULT_SETTINGS, inspect, onStart, onProgress, ...options }: SimulateOptions = {}): Promise<Report> {
  const clock = new VirtualClock(Date.parse(scenario.start));
  const settings = resolveSettings(scenario.config ?? {}, baseSettings);
  const sandbox = await Sandbox.start({ ...options, clock, settings, deterministicIds: true });
  try {
    onStart?.(sandbox);
    await sandbox.importAccounts(scenario.accounts);
    let undelivered = scenario.events.length + scenario.approvals.length;
    // An event the ingest refuses for good, a decision that crashed: the simulation's error, once it settles.
    const crashed: unknown[] = [];
    const deliver = (message: (typeof scenario.events)[number]['message'], attempt: number): void => {
      sandbox.publish(message).then(
        () => (undelivered -= 1),
        (error: unknown) => {
          if (!(asAwsUnavailable(error) instanceof AwsServiceUnavailable)) return void ((undelivered -= 1), crashed.push(error));
          const delay = VENDOR_RETRY_DELAYS_MS[attempt];
          if (delay !== undefined) return void clock.setTimeout(() => deliver(message, attempt + 1), delay);
          // The vendor gives up after its last retry: in the report's dead letters, not lost silently, and the run goes on.
          undelivered -= 1;
          sandbox.deadLetter({
            playbook: 'ingest',
            detailType: message.type,
            eventId: message.data.eventId,
            accountId: message.data.accountId,
            errorCode: 'AwsServiceUnavailable',
            errorMessage: `the ingest answered 503 to every delivery (${VENDOR_RETRY_DELAYS_MS.length + 1} deliveries over about 28 hours): the vendor gave up`,
          });
        },
      );
    };
    for (const { at, message } of scenario.events) clock.setTimeout(() => deliver(message, 0), at - clock.now());
    // A decision resumes a parked execution (or is refused: the report's `decisions` say why).
    for (const { at, decision } of scenario.approvals) {
      clock.setTimeout(() => {
        undelivered -= 1;
        sandbox.applyApproval(decision).catch((error: unknown) => crashed.push(error));
      }, at - clock.now());
    }
    const until = scenario.until === undefined ? undefined : Date.parse(scenario.until);
    for (let wakeUps = 0; ; wakeUps++) {
      if (wakeUps > MAX_WAKE_UPS) throw new Error(`Scenario did not settle after ${MAX_WAKE_UPS} wake-ups`);
      await sandbox.settled();
      const next = clock.nextWakeUp();
      // Done when every event is in, every execution ended, every recorder's call done, and the vendors got what the ledger owed them (or it is dead).
      if (next === undefined || (undelivered === 0 && sandbox.runningExecutions() === 0 && !sandbox.dispatchesWaiting() && !sandbox.recordersWaiting())) break;
      if (until !== undefined && next > until) {
        clock.advanceTo(until);
        await sandbox.settled();
        break;
      }
      clock.runNext();
      onProgress?.({ at: clock.now(), executions: sandbox.executions.length });
    }
    if (crashed.length > 0) throw crashed[0];
    const report = await buildReport(sandbox, { warnings: scenario.warnings });
    await inspect?.(sandbox);
    return report;
  } finally {
    await sandbox.stop();
  }
}
