import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../functions/core/calendar/business-time.ts';
import { calendar } from '../support/business-calendar.ts';
import { run } from '../support/scenario.ts';
import { rollUps, USAGE_START, usageAccount } from '../support/usage-scenario.ts';

// The usage playbooks of docs/playbooks.md (usage), end to end in the sandbox: the product's roll-ups
// go through the ingest's bus to the usage recorder, which tells the playbooks what changed
// (AccountActive, ContactReturned, FeatureFirstUsed); usage-check, welcome-back and feature-guide act.

const START = USAGE_START;
const account = usageAccount;
const HIGH_TOUCH = { usage: { highTouchSegments: ['enterprise'] } };
const usageTasks = (report: Awaited<ReturnType<typeof run>>) => report.tasks.filter((task) => task.playbook === 'usage-check').map(({ kind, createdAt }) => ({ kind, on: createdAt.slice(0, 10) }));

describe('usage-check: an account drop', () => {
  it('given a team that uses the product every business day then stops after Friday 6 November, when 30 days pass idle, then one usage-drop on Monday 7 December with its alert, none before, none twice', async () => {
    const report = await run({ start: START, until: '2027-02-01T00:00:00+01:00', accounts: [account()], events: rollUps('2026-10-05', '2026-11-06', () => true) });

    expect(usageTasks(report)).toEqual([{ kind: 'usage-drop', on: '2026-12-07' }]);
    expect(report.notifications.filter((n) => n.type === 'usage-drop')).toHaveLength(1);
    expect(report.executions.filter((e) => e.playbook === 'usage-check' && e.status !== 'SUCCEEDED')).toEqual([]);
    expect(report.undelivered).toEqual([]);
  });

  // From Monday 16 November, only the champion and Inès: half the user-days of the weeks before.
  const halved = (id: string, day: string) => day < '2026-11-16' || id === 'ct-champion' || id === 'ct-ines';
  let halvedRun: ReturnType<typeof run> | undefined;
  const halvedReport = () => (halvedRun ??= run({ start: START, until: '2026-12-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: rollUps('2026-10-05', '2026-12-17', halved) }));

  it('given a high-touch account whose use halves from Monday 16 November, when a week has passed, then usage-drop and the check-in e-mail to the champion, and 5 business days later, without a touchpoint, usage-meeting-check', async () => {
    const report = await halvedReport();

    const [drop, meeting, ...rest] = usageTasks(report);
    expect(drop).toMatchObject({ kind: 'usage-drop' });
    // Within the week after the fall (the weekly review's day is the claim's: a Tuesday here).
    expect(drop!.on >= '2026-11-17' && drop!.on <= '2026-11-24').toBe(true);
    expect(meeting).toEqual({ kind: 'usage-meeting-check', on: calendar.addBusinessDays(drop!.on, 5, 'FR') });
    expect(rest).toEqual([]);
    expect(report.emails.filter((e) => e.template === 'usage-check-in')).toMatchObject([{ to: 'champion@example.com', status: 'recorded', at: expect.stringContaining(drop!.on) }]);
  });

  it('given the same drop, when the team is back to its usual use on day 3, then no meeting check', async () => {
    const first = usageTasks(await halvedReport())[0]!;
    const back = calendar.addBusinessDays(first.on, 2, 'FR');
    const report = await run({ start: START, until: '2026-12-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: rollUps('2026-10-05', '2026-12-17', (id, day) => day >= back || halved(id, day)) });

    expect(usageTasks(report)).toEqual([first]);
  });

  it('given the same drop, when the CSM logs a call the next day, then no meeting check: the goal is met', async () => {
    const first = usageTasks(await halvedReport())[0]!;
    const call = { at: `${addCalendarDays(first.on, 1)}T15:00:00+01:00`, type: 'TouchpointLogged', detail: { eventId: 'evt-call', accountId: 'acc-paris', channel: 'call', at: `${addCalendarDays(first.on, 1)}T15:00:00+01:00` } };
    const report = await run({ start: START, until: '2026-12-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: [...rollUps('2026-10-05', '2026-12-17', halved), call] });

    expect(usageTasks(report)).toEqual([first]);
  });
});

describe('usage-check: a champion who stops while the others go on', () => {
  const championStops = (id: string, day: string) => id !== 'ct-champion' || day <= '2026-11-13';

  it('given a high-touch account, when the champion has not used the product for 15 days, then one champion-inactive task naming them', async () => {
    const report = await run({ start: START, until: '2027-01-15T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: rollUps('2026-10-05', '2027-01-14', championStops) });

    const tasks = report.tasks.filter((task) => task.kind === 'champion-inactive');
    expect(tasks.map(({ createdAt }) => createdAt.slice(0, 10))).toEqual(['2026-11-30']);
    expect(tasks[0]!.details).toContain('Alex Champion (champion) has not used the product for 16 days');
    expect(report.emails.filter((e) => e.template === 'champion-nudge')).toEqual([]);
    expect(usageTasks(report).filter(({ kind }) => kind === 'usage-drop')).toEqual([]);
  });

  it('given a low-touch account, when the champion has not used the product for 15 days, then one champion-nudge e-mail to them, and no task', async () => {
    const report = await run({ start: START, until: '2027-01-15T00:00:00+01:00', accounts: [account()], events: rollUps('2026-10-05', '2027-01-14', championStops) });

    expect(report.emails.filter((e) => e.template === 'champion-nudge')).toMatchObject([{ to: 'champion@example.com', status: 'recorded', at: expect.stringContaining('2026-11-30') }]);
    expect(report.tasks.filter((task) => task.kind === 'champion-inactive')).toEqual([]);
  });
});
