import { afterEach, describe, expect, it } from 'vitest';
import { resolveSettings, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { addCalendarDays } from '../../functions/core/calendar/business-time.ts';
import { usageWindow, USAGE_WINDOW_DAYS } from '../../functions/core/usage/usage.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { buildReport } from '../../sandbox/report/report.ts';
import { Sandbox, type FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from '../support/scenario.ts';

// The product's usage, recorded straight from the bus by the usage recorder (a rule whose target is the
// usage domain's function): no execution per use, the contact's days and features, each day's active
// users and the account's last day in the ledger, through the same code as the deployed function.

const MONDAY = '2026-11-16T10:00:00+01:00';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

let clock: VirtualClock;

async function start(intercept?: FunctionInterceptor) {
  clock = new VirtualClock(Date.parse(MONDAY));
  sandbox = await Sandbox.start({ clock, settings: resolveSettings(), deterministicIds: true, ...(intercept ? { intercept } : {}) });
  await sandbox.importAccounts([parisAccount()]);
  return sandbox;
}

let counter = 0;
const use = (contactId: string | undefined, at: string, feature?: string): DomainEventMessage => ({
  type: 'ProductUsageRecorded',
  timestamp: at,
  data: { eventId: `evt-use-${++counter}`, accountId: 'acc-paris', ...(contactId ? { contactId } : {}), at, ...(feature ? { feature } : {}) },
});
const rollUp = (contactId: string, day: string, uses: number, features?: string[]): DomainEventMessage => ({
  type: 'ProductUsageRecorded',
  timestamp: `${day}T23:00:00+01:00`,
  data: { eventId: `evt-day-${contactId}-${day}`, accountId: 'acc-paris', contactId, day, uses, ...(features ? { features } : {}) },
});

describe('given uses of the product on an account', () => {
  it('then no execution per use: the account’s first use starts its usage check, once; and each day counts each active user once, on the account’s local date', async () => {
    const s = await start();
    // Inès three times on Monday, Hugo once; Inès at 00:30 on Tuesday in Paris, still Monday in UTC: a Tuesday use.
    for (const message of [use('ct-ines', MONDAY, 'agenda'), use('ct-ines', '2026-11-16T15:00:00+01:00'), use('ct-ines', '2026-11-16T23:30:00+01:00'), use('ct-hugo', '2026-11-16T11:00:00+01:00'), use('ct-ines', '2026-11-17T00:30:00+01:00')]) {
      await s.publish(message);
    }
    await s.settled();

    // Uses delivered at once each see no check yet, and say so (one event id a day): one execution claims
    // the check and hands it over to next week's review; the others find it held, or retry their claim
    // that lost the race (they find it held then).
    const starts = s.executions.map(({ playbook, output }) => ({ playbook, action: (output as { check?: { action?: string } } | undefined)?.check?.action }));
    expect(starts.filter(({ action }) => action === 'claimed')).toEqual([{ playbook: 'usage-check', action: 'claimed' }]);
    expect(starts.every(({ playbook }) => playbook === 'usage-check')).toBe(true);
    expect(s.deadLetters).toEqual([]);
    const { days, lastActiveDay } = await s.ledger.usage.activity('acc-paris');
    expect(days).toEqual([
      { day: '2026-11-17', users: 1 },
      { day: '2026-11-16', users: 2 },
    ]);
    expect(lastActiveDay).toBe('2026-11-17');
  });

  it('then a redelivered or out-of-order use changes nothing it should not: the day is counted once, the last day never moves back', async () => {
    const s = await start();
    const tuesday = use('ct-ines', '2026-11-17T09:00:00+01:00');
    await s.publish(tuesday);
    await s.publish(tuesday);
    await s.publish(use('ct-ines', '2026-11-10T09:00:00+01:00'));
    await s.settled();

    const { days, lastActiveDay } = await s.ledger.usage.activity('acc-paris');
    expect(days).toEqual([
      { day: '2026-11-17', users: 1 },
      { day: '2026-11-10', users: 1 },
    ]);
    expect(lastActiveDay).toBe('2026-11-17');
  });

  it('then a day’s roll-up per contact counts the same as its uses: one active user that day, its features first used', async () => {
    const told: unknown[] = [];
    const s = await start((id, _input, call) => (id === 'record-usage' ? call().then((result) => (told.push(result), result)) : call()));
    await s.publish(rollUp('ct-ines', '2026-11-16', 14, ['agenda', 'sms']));
    await s.settled();
    await s.publish(rollUp('ct-ines', '2026-11-17', 3, ['agenda', 'stock']));
    await s.settled();

    // What the recorder tells the playbooks: the account active with no check watching it (the first day only); no guide is configured.
    expect(told).toEqual([
      { accountId: 'acc-paris', contactId: 'ct-ines', day: '2026-11-16', firstUse: true, firstUseOfDay: true, newFeatures: ['agenda', 'sms'], told: [{ type: 'AccountActive', eventId: 'active-acc-paris-2026-11-16' }] },
      { accountId: 'acc-paris', contactId: 'ct-ines', day: '2026-11-17', firstUse: false, firstUseOfDay: true, newFeatures: ['stock'], told: [] },
    ]);
  });

  it('then a contact back after 30 idle days is told as returned, and the account’s window says this week against the 4 before', async () => {
    const told: { returnedAfterDays?: number }[] = [];
    const s = await start((id, _input, call) => (id === 'record-usage' ? call().then((result) => (told.push(result as never), result)) : call()));
    await s.publish(rollUp('ct-ines', '2026-10-01', 2));
    await s.settled();
    await s.publish(rollUp('ct-ines', '2026-11-01', 5));
    await s.settled();

    expect(told.map((news) => news.returnedAfterDays)).toEqual([undefined, 30]);
    const { days, lastActiveDay } = await s.ledger.usage.activity('acc-paris');
    expect(usageWindow(days, '2026-11-16', lastActiveDay)).toMatchObject({ lastActiveDay: '2026-11-01', idleDays: 14 });
    // The report's usage view says the same, as of the sandbox's local date.
    expect((await buildReport(s)).usage).toEqual([
      {
        accountId: 'acc-paris',
        asOf: '2026-11-16',
        lastActiveDay: '2026-11-01',
        idleDays: 14,
        thisWeek: { activeDays: 0, userDays: 0 },
        fourWeekAverage: { activeDays: 0.25, userDays: 0.25 },
        // Its usage check reviewed it when claimed, and looks again next Monday (no drop: 14 idle days).
        check: { status: 'live', nextReview: '2026-11-23T09:00:00+01:00' },
      },
    ]);
  });

  it('then a contact used every day for 60 days keeps a small item: their days of the window, and at most ten older ones not yet pruned', async () => {
    const s = await start();
    // One roll-up a day, each recorded before the next comes (as a day apart).
    for (let d = 0; d < 60; d++) {
      await s.publish(rollUp('ct-ines', addCalendarDays('2026-09-01', d), 1, d === 0 ? ['agenda'] : undefined));
      await s.settled();
    }

    const held = await s.ledger.usage.contactUsage('acc-paris', 'ct-ines');
    expect(held!.days.length).toBeLessThanOrEqual(USAGE_WINDOW_DAYS + 10);
    expect(held!.days.at(-1)).toBe('2026-10-30');
    expect(held!.days[0]! >= addCalendarDays('2026-10-30', -(USAGE_WINDOW_DAYS + 10))).toBe(true);
    expect(held!.features).toEqual(['agenda']);
  });

  it('then a use for an account the ledger does not know is retried as Lambda retries it, then kept in the recorder’s failure queue, never lost silently', async () => {
    const s = await start();
    await s.publish({ ...use('ct-x', MONDAY), data: { ...use('ct-x', MONDAY).data, accountId: 'acc-nowhere' } });
    await s.settled();
    expect(s.deadLetters).toEqual([]);
    // Lambda's retries, 1 then 2 minutes later.
    for (let next = clock.nextWakeUp(); next !== undefined && next <= Date.parse(MONDAY) + 10 * 60_000; next = clock.nextWakeUp()) {
      clock.runNext();
      await s.settled();
    }

    expect(s.deadLetters).toEqual([expect.objectContaining({ playbook: 'usage-recorder', accountId: 'acc-nowhere', errorCode: 'AccountNotFound' })]);
  });
});
