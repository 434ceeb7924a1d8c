import { describe, expect, it } from 'vitest';
import { parisAccount, run } from '../support/scenario.ts';

// The threshold alerts of docs/playbooks.md (health), end to end in the sandbox: the health scorer
// watches each account's lines at its events and at night, the threshold-alert playbook posts what is
// reached, on entry only; a snooze silences it until its date.

const START = '2026-10-05T08:00:00+02:00';
const at = (instant: string, type: string, detail: object) => ({ at: instant, type, detail: { accountId: 'acc-paris', ...detail } });
// The last exchange with the account: a call on Monday 5 October. Nothing after it.
const call = at('2026-10-05T10:00:00+02:00', 'TouchpointLogged', { eventId: 'evt-call', contactId: 'ct-champion', channel: 'call', at: '2026-10-05T10:00:00+02:00' });
const snooze = at('2026-11-16T10:30:00+01:00', 'AlertSnoozed', {
  eventId: 'evt-snooze',
  alertType: 'no-exchange',
  until: '2026-12-01',
  reason: 'owner on leave until December',
  by: 'csm-camille',
  at: '2026-11-16T10:30:00+01:00',
});

const thresholdPosts = (report: Awaited<ReturnType<typeof run>>) =>
  report.notifications.filter((post) => post.type === 'threshold').map(({ at, text }) => ({ at, text: text.split('\n')[1] }));

describe('threshold alerts: no exchange for 42 days', () => {
  it('given no exchange since 5 October, then the night of 16 November raises it, once: not again the nights after', async () => {
    const report = await run({ start: START, until: '2026-11-25T00:00:00+01:00', accounts: [parisAccount()], events: [call] });

    expect(thresholdPosts(report)).toEqual([
      { at: '2026-11-16T03:00:00+01:00', text: 'No exchange for 42 days (reached on 2026-11-16). Act on it and ✅, or 💤 snooze it (30 days here; a date and a reason through AlertSnoozed).' },
    ]);
    // Open for a person (the 17:00 reminder leaves it out: test/functions/alert-reminder-functions.test.ts).
    expect(report.alerts.filter(({ type }) => type === 'threshold').map(({ acknowledged }) => acknowledged)).toEqual([false]);
  });

  it('given it snoozed until 1 December with a reason, then the alert is handled by the snooze, the nights stay quiet until then, and on 1 December, still without an exchange, it is raised again', async () => {
    const report = await run({ start: START, until: '2026-12-03T00:00:00+01:00', accounts: [parisAccount()], events: [call, snooze] });

    expect(thresholdPosts(report).map(({ at }) => at)).toEqual(['2026-11-16T03:00:00+01:00', '2026-12-01T03:00:00+01:00']);
    expect(thresholdPosts(report)[1]!.text).toMatch(/^No exchange for 57 days \(reached on 2026-11-16\)\./);
    const [first, second] = report.alerts.filter(({ type }) => type === 'threshold');
    expect(first).toMatchObject({ acknowledged: true, handledBy: 'snoozed until 2026-12-01 by csm-camille: owner on leave until December' });
    expect(second).toMatchObject({ acknowledged: false });
    expect(report.health[0]).toMatchObject({ thresholds: [{ alertType: 'no-exchange', since: '2026-11-16', raised: '2026-12-01' }], snoozes: [] });
  });

  it('given a call on 20 November, while snoozed, then the line is left, and nothing is raised on 1 December', async () => {
    const later = at('2026-11-20T15:00:00+01:00', 'TouchpointLogged', { eventId: 'evt-call-2', contactId: 'ct-champion', channel: 'call', at: '2026-11-20T15:00:00+01:00' });
    const report = await run({ start: START, until: '2026-12-03T00:00:00+01:00', accounts: [parisAccount()], events: [call, snooze, later] });

    expect(thresholdPosts(report).map(({ at }) => at)).toEqual(['2026-11-16T03:00:00+01:00']);
    expect(report.health[0]).toMatchObject({ thresholds: [] });
  });
});
