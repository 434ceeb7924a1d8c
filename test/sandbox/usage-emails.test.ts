import { describe, expect, it } from 'vitest';
import { run } from '../support/scenario.ts';
import { rollUps, USAGE_START, usageAccount } from '../support/usage-scenario.ts';

// welcome-back and feature-guide (docs/playbooks.md, usage), end to end in the sandbox: the product's
// roll-ups go through the ingest's bus to the usage recorder, which tells the playbooks what changed
// (ContactReturned, FeatureFirstUsed). test/sandbox/usage-playbooks.test.ts has usage-check.

const START = USAGE_START;
const account = usageAccount;

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
