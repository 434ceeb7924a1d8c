import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { ContractError } from '../../functions/contracts/zod.ts';
import { launch, type RunningSandbox } from '../../sandbox/commands/start.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { developmentSecret } from '../../sandbox/secrets.ts';
import { signedDelivery } from '../../sandbox/vendor-signing.ts';

/**
 * An incident for ops to work through, on `npm start`'s sandbox (its accounts, HTTP on a free port) run
 * on a virtual clock from Friday 20 November 2026, 17:45 in Paris, so that retries pass in
 * milliseconds: Salon Lumière's detractor answer and red alert (a competitor meeting) arrive; the red
 * alert's follow-up cannot be planned, and the manual follow-up that should replace it is refused by the
 * table (a permission lost in a bad deploy) until `restorePermission()`.
 */
export interface RedAlertIncident {
  running: RunningSandbox;
  clock: VirtualClock;
  url(): string;
  /** The samples of NpsResponseReceived and CompetitorMeetingDetected, posted and run to rest. */
  postBoth(): Promise<void>;
  restorePermission(): void;
  /** Runs the sandbox to rest through the timers of the next hour (retries' back-offs), not the playbooks' waits of days. */
  runForAnHour(): Promise<void>;
}

export const INCIDENT_ACCOUNT = 'acc-salon-lumiere';

const sample = (type: string) => readFileSync(new URL(`../../functions/contracts/samples/${type}.json`, import.meta.url), 'utf8');

export function useRedAlertIncident(): RedAlertIncident {
  let permissionLost = true;
  const intercept: FunctionInterceptor = (action, input, call) => {
    if (!permissionLost) return call();
    if (action === 'plan-competitor-meeting') return Promise.reject(new ContractError('the meeting', ['refused for this test']));
    if (action === 'create-task' && (input as { kind?: string }).kind === 'manual-follow-up') {
      const denied = new Error('competitor-meeting is not authorized to perform: dynamodb:PutItem on TASK');
      denied.name = 'AccessDeniedException';
      return Promise.reject(denied);
    }
    return call();
  };
  const clock = new VirtualClock(Date.parse('2026-11-20T17:45:00+01:00'));
  let running: RunningSandbox | undefined;
  beforeAll(async () => {
    running = await launch({ port: 0, env: {}, sandbox: { clock, intercept } });
  });
  afterAll(async () => {
    await running?.close();
  });
  const sandbox = () => {
    if (!running) throw new Error('the incident is used before its beforeAll');
    return running;
  };
  const url = () => sandbox().server.url;
  // Signed as its sender signs it; the signature's timestamp is the wall clock's, as the verifying library reads it.
  const post = async (type: string, sender: string) => {
    const { headers, body } = signedDelivery('events', sample(type), developmentSecret('events', sender), `${url()}/webhooks/events`, new Date());
    const response = await fetch(`${url()}/webhooks/events`, { method: 'POST', headers, body });
    expect(response.status, await response.clone().text()).toBe(202);
  };
  const runForAnHour = async () => {
    const until = clock.now() + 3_600_000;
    for (;;) {
      await sandbox().sandbox.settled();
      const next = clock.nextWakeUp();
      if (next === undefined || next > until) break;
      clock.runNext();
    }
    await sandbox().sandbox.settled();
  };
  return {
    get running() {
      return sandbox();
    },
    clock,
    url,
    async postBoth() {
      await post('NpsResponseReceived', 'nps-tool');
      await post('CompetitorMeetingDetected', 'product');
      await runForAnHour();
    },
    restorePermission: () => {
      permissionLost = false;
    },
    runForAnHour,
  };
}
