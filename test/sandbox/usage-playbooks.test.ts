import { describe, expect, it } from 'vitest';
import type { AccountRecord } from '../../functions/contracts/index.ts';
import { addCalendarDays } from '../../functions/core/calendar/business-time.ts';
import { calendar } from '../support/business-calendar.ts';
import { parisAccount, run } from '../support/scenario.ts';

// The usage playbooks of docs/playbooks.md (usage), end to end in the sandbox: the product's roll-ups
// go through the ingest's bus to the usage recorder, which tells the playbooks what changed
// (AccountActive, ContactReturned, FeatureFirstUsed); usage-check, welcome-back and feature-guide act.

const START = '2026-10-05T08:00:00+02:00';
const businessDay = (day: string) => calendar.isBusinessDay(day, 'FR');

const contacts: AccountRecord['contacts'] = [
  { id: 'ct-champion', email: 'champion@example.com', name: 'Alex Champion', role: 'champion' },
  { id: 'ct-ines', email: 'ines@example.com', name: 'Inès Martin', role: 'user' },
  { id: 'ct-hugo', email: 'hugo@example.com', name: 'Hugo Bernard', role: 'user' },
  { id: 'ct-lea', email: 'lea@example.com', name: 'Léa Petit', role: 'user' },
];

/** Each contact's roll-up of each business day from `from` to `to` on which `uses(contactId, day)` says they used it. */
function rollUps(from: string, to: string, uses: (contactId: string, day: string) => boolean, features: (contactId: string, day: string) => string[] = () => []) {
  const events: object[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    if (!businessDay(day)) continue;
    for (const { id } of contacts) {
      if (!uses(id, day)) continue;
      const used = features(id, day);
      events.push({ at: `${day}T19:00:00+01:00`, type: 'ProductUsageRecorded', detail: { eventId: `day-${id}-${day}`, accountId: 'acc-paris', contactId: id, day, uses: 12, ...(used.length > 0 ? { features: used } : {}) } });
    }
  }
  return events;
}

const account = (segment?: string) => parisAccount({ contacts, ...(segment ? { segment } : {}) });
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

  it('given a high-touch account whose use halves from Monday 16 November, when a week has passed, then usage-drop and the check-in e-mail to the champion, and 5 business days later, without a touchpoint, usage-meeting-check', async () => {
    const report = await run({ start: START, until: '2026-12-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: rollUps('2026-10-05', '2026-12-17', halved) });

    const [drop, meeting, ...rest] = usageTasks(report);
    expect(drop).toMatchObject({ kind: 'usage-drop' });
    // Within the week after the fall (the weekly review's day is the claim's: a Tuesday here).
    expect(drop!.on >= '2026-11-17' && drop!.on <= '2026-11-24').toBe(true);
    expect(meeting).toEqual({ kind: 'usage-meeting-check', on: calendar.addBusinessDays(drop!.on, 5, 'FR') });
    expect(rest).toEqual([]);
    expect(report.emails.filter((e) => e.template === 'usage-check-in')).toMatchObject([{ to: 'champion@example.com', status: 'recorded', at: expect.stringContaining(drop!.on) }]);
  });

  it('given the same drop, when the team is back to its usual use on day 3, then no meeting check', async () => {
    const first = usageTasks(await run({ start: START, until: '2026-12-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: rollUps('2026-10-05', '2026-12-17', halved) }))[0]!;
    const back = calendar.addBusinessDays(first.on, 2, 'FR');
    const report = await run({ start: START, until: '2026-12-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: rollUps('2026-10-05', '2026-12-17', (id, day) => day >= back || halved(id, day)) });

    expect(usageTasks(report)).toEqual([first]);
  });

  it('given the same drop, when the CSM logs a call the next day, then no meeting check: the goal is met', async () => {
    const first = usageTasks(await run({ start: START, until: '2026-12-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [account('enterprise')], events: rollUps('2026-10-05', '2026-12-17', halved) }))[0]!;
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

describe('welcome-back and feature-guide', () => {
  const guides = { usage: { featureGuides: { 'online-booking': 'https://help.example.com/online-booking' }, productGuide: 'https://help.example.com/start' } };

  it('given Inès away for 45 days, when she uses the product again, then the welcome-back e-mail (no call: she is not a key contact); away 40 days more and back again within 90 days of it, none', async () => {
    const ines = (id: string, day: string) => id !== 'ct-ines' || day <= '2026-10-16' || (day >= '2026-12-01' && day <= '2026-12-04') || day >= '2027-01-15';
    const report = await run({ start: START, until: '2027-01-20T00:00:00+01:00', accounts: [account()], events: rollUps('2026-10-05', '2027-01-19', ines) });

    expect(report.emails.filter((e) => e.template === 'welcome-back')).toMatchObject([{ to: 'ines@example.com', status: 'recorded', at: expect.stringContaining('2026-12-01') }]);
    expect(report.executions.filter((e) => e.playbook === 'welcome-back').map(({ status }) => status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(report.tasks.filter((task) => task.kind === 'welcome-back-call')).toEqual([]);
  });

  it('given the champion back after 45 days, then the welcome-back e-mail and a welcome-back-call task for the CSM, once', async () => {
    const champion = (id: string, day: string) => id !== 'ct-champion' || day <= '2026-10-16' || day >= '2026-12-01';
    const report = await run({ start: START, until: '2026-12-20T00:00:00+01:00', accounts: [account()], events: rollUps('2026-10-05', '2026-12-18', champion) });

    expect(report.emails.filter((e) => e.template === 'welcome-back').map(({ to }) => to)).toEqual(['champion@example.com']);
    expect(report.tasks.filter((task) => task.kind === 'welcome-back-call').map(({ createdAt }) => createdAt.slice(0, 10))).toEqual(['2026-12-01']);
  });

  it('given guides for the product and for online booking, when each contact first uses them, then each guide once per contact, and none for a feature without a guide', async () => {
    const features = (id: string, day: string) => (id === 'ct-hugo' && day >= '2026-10-12' ? ['online-booking', 'reports'] : ['agenda']);
    const report = await run({ start: START, until: '2026-10-20T00:00:00+01:00', config: guides, accounts: [account()], events: rollUps('2026-10-05', '2026-10-16', () => true, features) });

    const sent = report.emails.filter((e) => e.template === 'feature-guide').map(({ to, subject }) => `${to}: ${subject}`).sort();
    expect(sent).toEqual([
      'champion@example.com: Bien démarrer',
      'hugo@example.com: Bien démarrer',
      'hugo@example.com: Bien démarrer avec online-booking',
      'ines@example.com: Bien démarrer',
      'lea@example.com: Bien démarrer',
    ]);
  });

  it('given the last roll-ups sent again, newest first, a day late, then the same tasks, e-mails and drops as delivered once', async () => {
    const ines = (id: string, day: string) => id !== 'ct-ines' || day <= '2026-10-16' || day >= '2026-12-01';
    const once = rollUps('2026-10-05', '2026-12-18', ines);
    // The product sends the last 20 roll-ups again, newest first, a day late, under new ids.
    const again = (once as { detail: { eventId: string } }[]).slice(-20).reverse().map((event) => ({ ...event, at: '2026-12-19T10:00:00+01:00', detail: { ...event.detail, eventId: `${event.detail.eventId}-again` } }));
    const twice = [...once, ...again];
    const summary = (report: Awaited<ReturnType<typeof run>>) => ({
      tasks: report.tasks.map(({ kind, createdAt }) => `${kind} ${createdAt}`).sort(),
      emails: report.emails.map(({ template, to, at }) => `${template} ${to} ${at}`).sort(),
    });
    const [a, b] = [await run({ start: START, until: '2026-12-20T00:00:00+01:00', config: guides, accounts: [account()], events: once }), await run({ start: START, until: '2026-12-20T00:00:00+01:00', config: guides, accounts: [account()], events: twice })];
    expect(summary(b)).toEqual(summary(a));
  });
});
