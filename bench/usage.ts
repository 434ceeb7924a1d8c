// npm run bench, usage part: how fast the sandbox records the product's usage (the recorder's rule and
// function, on the embedded DynamoDB), per event and against the baseline round trip of the same run.
import { performance } from 'node:perf_hooks';
import { addCalendarDays } from '../functions/core/calendar/business-time.ts';
import { parseScenario } from '../sandbox/simulate/scenario.ts';
import { simulate } from '../sandbox/simulate/simulate.ts';
import { parisAccounts } from './accounts.ts';

/** `accounts` × `users` users over `days` days: one roll-up per user and day, or `usesPerDay` events per use. */
function usageScenario(accounts: number, users: number, days: number, usesPerDay?: number) {
  const start = '2026-01-05';
  const records = parisAccounts(accounts);
  const events = records.flatMap((account) =>
    Array.from({ length: days }, (_, d) => addCalendarDays(start, d)).flatMap((day) =>
      Array.from({ length: users }, (_, u) =>
        usesPerDay === undefined
          ? [{ at: `${day}T20:00:00+01:00`, type: 'ProductUsageRecorded', detail: { eventId: `${account.id}-${u}-${day}`, accountId: account.id, contactId: `ct-${u}`, day, uses: 3 } }]
          : Array.from({ length: usesPerDay }, (_, k) => {
              const at = `${day}T${String(9 + k).padStart(2, '0')}:00:00+01:00`;
              return { at, type: 'ProductUsageRecorded', detail: { eventId: `${account.id}-${u}-${day}-${k}`, accountId: account.id, contactId: `ct-${u}`, at, feature: `feature-${k % 4}` } };
            }),
      ).flat(),
    ),
  );
  return parseScenario({ start: `${start}T08:00:00+01:00`, accounts: records, events });
}

export async function benchUsage(baselineMs: number): Promise<void> {
  console.log(`${'usage recorded'.padEnd(46)}events   wall s   ms/event   × baseline   events/s   200 accounts × 20 users × 30 days at that rate`);
  for (const [label, accounts, users, days, usesPerDay, fullVolume] of [
    ['roll-ups, 20 accounts × 20 users × 10 days', 20, 20, 10, undefined, 200 * 20 * 30],
    ['per use, 20 accounts × 20 users × 2 days × 5', 20, 20, 2, 5, 1_000_000],
  ] as const) {
    const scenario = usageScenario(accounts, users, days, usesPerDay);
    const started = performance.now();
    let unrecorded = 0;
    const report = await simulate(scenario, { inspect: (sandbox) => void (unrecorded = sandbox.deadLetters.length) });
    const wallMs = performance.now() - started;
    // No execution per use: only each account's usage check (started by its first use, ended once it is idle).
    const perUse = report.executions.filter((execution) => execution.playbook !== 'usage-check');
    if (unrecorded > 0 || perUse.length > 0) throw new Error(`usage bench: ${unrecorded} events not recorded, ${perUse.length} executions started besides the usage checks`);
    const events = scenario.events.length;
    const perEvent = wallMs / events;
    const fullMinutes = (fullVolume * perEvent) / 60_000;
    console.log(
      `${label.padEnd(46)}${String(events).padStart(6)}${(wallMs / 1000).toFixed(1).padStart(9)}${perEvent.toFixed(2).padStart(11)}${(perEvent / baselineMs).toFixed(1).padStart(13)}` +
        `${(events / (wallMs / 1000)).toFixed(0).padStart(11)}   ${fullVolume.toLocaleString('en')} events: ${fullMinutes.toFixed(0)} min`,
    );
  }
}
