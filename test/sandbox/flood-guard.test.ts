import { afterEach, describe, expect, it } from 'vitest';
import { resolveSettings, type DomainEventMessage } from '../../functions/contracts/index.ts';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { buildReport } from '../../sandbox/report/report.ts';
import { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from '../support/scenario.ts';

// A survey tool gone wrong sends fifty detractor answers for one account within a minute. Without a
// guard that is fifty context reviews, fifty posts and fifty more tasks two days later; with it, the
// hour's first few run, the rest wait in the ledger, and the channel reads one post saying so.

const MONDAY_10 = '2026-11-16T10:00:00+01:00';
const LIMIT = 5;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function start() {
  const clock = new VirtualClock(Date.parse(MONDAY_10));
  sandbox = await Sandbox.start({ clock, settings: resolveSettings({ floodGuard: { eventsPerAccountPerHour: LIMIT } }), deterministicIds: true });
  await sandbox.importAccounts([parisAccount(), parisAccount({ id: 'acc-lyon', name: 'Salon Test Lyon' })]);
  return { sandbox, clock };
}

const detractor = (n: number, accountId = 'acc-paris', at = MONDAY_10): DomainEventMessage => ({
  type: 'NpsResponseReceived',
  timestamp: at,
  data: { eventId: `evt-flood-${accountId}-${n}`, accountId, contactId: 'ct-champion', score: 2, comment: 'Rien ne marche.', respondedAt: at },
});

const started = (s: Sandbox, playbook: string, accountId = 'acc-paris') => s.executions.filter((e) => e.playbook === playbook && e.accountId === accountId).length;

describe('given 20 detractor answers from one account within a minute, and a limit of 5 an hour', () => {
  it('then 5 start the NPS playbook, 15 are held in the ledger, and the alert channel gets ONE post saying so', async () => {
    const { sandbox: s } = await start();
    for (let n = 1; n <= 20; n++) await s.publish(detractor(n));
    await s.settled();

    expect(started(s, 'nps-response')).toBe(LIMIT);
    const held = await s.heldEvents('acc-paris');
    expect(held.map((event) => event.eventId)).toEqual(Array.from({ length: 15 }, (_, i) => `evt-flood-acc-paris-${i + 6}`));
    expect(held.every((event) => event.detailType === 'NpsResponseReceived')).toBe(true);
    const report = await buildReport(s);
    const floods = report.alerts.filter((alert) => alert.type === 'account-flooded');
    expect(floods).toEqual([expect.objectContaining({ accountId: 'acc-paris', playbook: 'account-flooded', acknowledged: false })]);
    expect(report.alerts.filter((alert) => alert.type === 'nps-detractor')).toHaveLength(LIMIT);
    // What the channel reads: the limit, the hour, the kind, and the command that releases them.
    const posted = (await s.ledger.scan<Alert>('alert')).filter((alert) => alert.type === 'account-flooded');
    expect(posted.map((alert) => alert.text)).toEqual([
      ':ocean: Events held by the flood guard — Salon Test Paris (CSM csm-camille)\nMore than 5 events that make work for people in the hour from 2026-11-16T09:00:00.000Z (the first held: NpsResponseReceived). The ones past the limit are held in the ledger, not lost: once the sender is fixed, release them with `npx playbooks release --account acc-paris`, or leave them held.',
    ]);
    // Every held answer raised the same flood event: the post is once per account and hour.
    expect(s.executions.filter((e) => e.playbook === 'account-flooded').every((e) => e.status === 'SUCCEEDED')).toBe(true);
  });

  it('then another account’s answers in the same hour are not held, and the next hour starts a new count', async () => {
    const { sandbox: s, clock } = await start();
    for (let n = 1; n <= 8; n++) await s.publish(detractor(n));
    for (let n = 1; n <= 3; n++) await s.publish(detractor(n, 'acc-lyon'));
    await s.settled();
    expect(started(s, 'nps-response', 'acc-lyon')).toBe(3);
    expect(await s.heldEvents('acc-lyon')).toEqual([]);

    clock.advanceTo(Date.parse('2026-11-16T11:00:00+01:00'));
    await s.publish(detractor(9, 'acc-paris', '2026-11-16T11:00:00+01:00'));
    await s.settled();
    expect(started(s, 'nps-response')).toBe(LIMIT + 1);
    expect((await s.heldEvents('acc-paris')).map((event) => event.eventId)).toEqual(['evt-flood-acc-paris-6', 'evt-flood-acc-paris-7', 'evt-flood-acc-paris-8']);
  });

  it('then facts that make no work for people (touchpoints) pass whatever their number', async () => {
    const { sandbox: s } = await start();
    for (let n = 1; n <= 12; n++) {
      await s.publish({ type: 'TouchpointLogged', timestamp: MONDAY_10, data: { eventId: `evt-tp-${n}`, accountId: 'acc-paris', channel: 'email', at: MONDAY_10 } });
    }
    await s.settled();
    expect(started(s, 'touchpoint-log')).toBe(12);
    expect(await s.heldEvents('acc-paris')).toEqual([]);
  });

  it('when they are released, then each held answer runs its playbook once, past the guard, and the ledger holds none any more', async () => {
    const { sandbox: s } = await start();
    for (let n = 1; n <= 20; n++) await s.publish(detractor(n));
    await s.settled();

    const released = await s.releaseHeld('acc-paris');
    await s.settled();

    expect(released).toHaveLength(15);
    expect(started(s, 'nps-response')).toBe(20);
    expect(await s.heldEvents('acc-paris')).toEqual([]);
    // Released again: nothing left, nothing runs twice.
    expect(await s.releaseHeld('acc-paris')).toEqual([]);
    await s.settled();
    expect(started(s, 'nps-response')).toBe(20);
    // The held answers carried their comment sealed, as every event on the bus: released, they still open to it.
    const report = await buildReport(s);
    expect(report.tasks.filter((task) => task.kind === 'detractor-context-review').every((task) => task.details?.includes('Rien ne marche.'))).toBe(true);
  });
});
