// npm run bench, health part: what the health score costs the sandbox, against the baseline round trip of
// the same run: an event that moves a measure (the scorer's rule and function), and a night (the
// health-nightly playbook rescoring every account with a score).
import { performance } from 'node:perf_hooks';
import { parseScenario } from '../sandbox/simulate/scenario.ts';
import { simulate } from '../sandbox/simulate/simulate.ts';
import { parisAccounts } from './accounts.ts';

const START = '2026-01-05T08:00:00+01:00';

/**
 * `accounts` accounts, each given a touchpoint, an NPS answer and `pulses` CSM pulses on 5 January (so
 * each has a score), simulated until `nights` nights later.
 */
function healthScenario(accounts: number, pulses: number, nights: number) {
  const records = parisAccounts(accounts);
  const at = (minute: number) => `2026-01-05T${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+01:00`;
  const events = records.flatMap((account, i) => [
    { at: at(i % 60), type: 'TouchpointLogged', detail: { eventId: `call-${account.id}`, accountId: account.id, channel: 'call', at: at(i % 60) } },
    { at: at(i % 60), type: 'NpsResponseReceived', detail: { eventId: `nps-${account.id}`, accountId: account.id, contactId: account.contacts[0]!.id, score: 8, respondedAt: at(i % 60) } },
    ...Array.from({ length: pulses }, (_, k) => ({ at: at(60 + k), type: 'CsmPulseRecorded', detail: { eventId: `pulse-${account.id}-${k}`, accountId: account.id, csmId: account.csmId, pulse: 1 + (k % 5), at: at(60 + k) } })),
  ]);
  const until = new Date(Date.parse(START) + (nights + 0.5) * 86_400_000).toISOString();
  return parseScenario({ start: START, until, accounts: records, events });
}

async function timed(scenario: ReturnType<typeof healthScenario>) {
  const started = performance.now();
  const report = await simulate(scenario);
  const wallMs = performance.now() - started;
  if (report.undelivered.length > 0 || report.scheduledRuns.some(({ failed }) => failed.length > 0)) throw new Error('health bench: an event was not scored, or a night failed');
  return { wallMs, report };
}

export async function benchHealth(baselineMs: number): Promise<void> {
  console.log(`${'health scored'.padEnd(46)}   wall s   ms each   × baseline   at that rate`);
  // Per event: 20 accounts, 50 pulses each, no night.
  const events = healthScenario(20, 50, 0);
  const perEvent = await timed(events);
  const scored = events.events.length;
  const msPerEvent = perEvent.wallMs / scored;
  console.log(
    `${`per event, 20 accounts × ${scored / 20} events`.padEnd(46)}${(perEvent.wallMs / 1000).toFixed(1).padStart(9)}${msPerEvent.toFixed(2).padStart(10)}${(msPerEvent / baselineMs).toFixed(1).padStart(13)}` +
      `   100,000 events (10k accounts' month): ${((100_000 * msPerEvent) / 60_000).toFixed(0)} min of one thread`,
  );
  // Per account-night: 100 accounts, 30 nights, less the same accounts' events alone.
  const [withNights, eventsOnly] = [await timed(healthScenario(100, 1, 30)), await timed(healthScenario(100, 1, 0))];
  const nights = withNights.report.scheduledRuns.find(({ playbook }) => playbook === 'health-nightly')?.runs ?? 0;
  const msPerAccountNight = (withNights.wallMs - eventsOnly.wallMs) / (100 * nights);
  console.log(
    `${`per account and night, 100 accounts × ${nights} nights`.padEnd(46)}${(withNights.wallMs / 1000).toFixed(1).padStart(9)}${msPerAccountNight.toFixed(2).padStart(10)}${(msPerAccountNight / baselineMs).toFixed(1).padStart(13)}` +
      `   10k accounts: ${((10_000 * msPerAccountNight) / 1000).toFixed(0)} s a night, one thread`,
  );
}
