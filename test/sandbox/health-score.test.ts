import { describe, expect, it } from 'vitest';
import { run } from '../support/scenario.ts';
import { rollUps, USAGE_START, usageAccount } from '../support/usage-scenario.ts';

// The health score of docs/playbooks.md (health), end to end in the sandbox: the events that move a
// measure go through the ingest's bus to the health scorer, which scores the account at once and tells
// the at-risk playbook of a degradation.

const HIGH_TOUCH = { usage: { highTouchSegments: ['enterprise'] } };
const at = (instant: string, type: string, detail: object) => ({ at: instant, type, detail: { accountId: 'acc-paris', ...detail } });

// A team of four in Paris using the product every business day until Friday 6 November, then not at all;
// the CSM's pulse of 5 on 1 October, a solved helpdesk ticket, a meeting on Friday 6 November.
const healthyThenIdle = [
  ...rollUps('2026-10-05', '2026-11-06', () => true),
  at('2026-10-06T17:00:00+02:00', 'CsmPulseRecorded', { eventId: 'evt-pulse', csmId: 'csm-camille', pulse: 5, reasons: ['engaged team'], at: '2026-10-06T17:00:00+02:00' }),
  at('2026-10-07T09:30:00+02:00', 'SupportTicketUpdated', { eventId: 'evt-ticket-open', ticketId: 'tkt-1', status: 'open', at: '2026-10-07T09:30:00+02:00' }),
  at('2026-10-08T15:00:00+02:00', 'SupportTicketUpdated', { eventId: 'evt-ticket-solved', ticketId: 'tkt-1', status: 'solved', at: '2026-10-08T15:00:00+02:00' }),
  at('2026-11-06T11:00:00+01:00', 'TouchpointLogged', { eventId: 'evt-meeting', channel: 'meeting', at: '2026-11-06T11:00:00+01:00' }),
];
const ANSWERED = '2026-11-17T10:12:00+01:00';
const detractor = at(ANSWERED, 'NpsResponseReceived', { eventId: 'evt-nps-detractor', contactId: 'ct-champion', score: 1, respondedAt: ANSWERED, comment: 'Nous ne l’utilisons plus' });

describe('health: a healthy account whose usage stops and whose champion answers a detractor NPS', () => {
  let answered: ReturnType<typeof run> | undefined;
  const report = () => (answered ??= run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [usageAccount('enterprise')], events: [...healthyThenIdle, detractor] }));

  it('when the answer comes, then the account is red within the minute, with one health alert naming usage and one at-risk-plan task for the CSM, the alert ✅', async () => {
    const { health, tasks, alerts, executions } = await report();

    expect(health).toMatchObject([{ accountId: 'acc-paris', score: 49, band: 'red', cause: { type: 'NpsResponseReceived', eventId: 'evt-nps-detractor' }, scoredAt: ANSWERED, previous: { band: 'green' } }]);
    const plans = tasks.filter((task) => task.playbook === 'at-risk');
    expect(plans).toMatchObject([{ kind: 'at-risk-plan', owner: 'csm-camille', createdAt: ANSWERED }]);
    expect(plans[0]!.title).toContain('Health score down');
    const healthAlerts = alerts.filter((alert) => alert.type === 'health-drop');
    expect(healthAlerts).toMatchObject([{ accountId: 'acc-paris', acknowledged: true }]);
    expect((await report()).notifications.filter((post) => post.type === 'health-drop').map(({ text }) => text)).toEqual([expect.stringMatching(/Health 49 \(red\), down from \d+ \(green\): usage dragged it down most \(this week at 0 % of the 4 weeks before\)\./)]);
    expect(executions.filter((execution) => execution.playbook === 'at-risk')).toMatchObject([{ status: 'SUCCEEDED', startedAt: ANSWERED }]);
  });

  it('then the score explains itself: each measure with its value, points and weight, support at full points, and usage as what moved it most', async () => {
    const [account] = (await report()).health;

    expect(account!.lines.map(({ measure, points, weight, appliedWeight }) => ({ measure, points, weight, appliedWeight }))).toEqual([
      { measure: 'usage', points: 0, weight: 35, appliedWeight: 35 },
      { measure: 'engagement', points: 88, weight: 25, appliedWeight: 25 },
      { measure: 'nps', points: 10, weight: 15, appliedWeight: 15 },
      { measure: 'pulse', points: 100, weight: 15, appliedWeight: 15 },
      { measure: 'support', points: 100, weight: 10, appliedWeight: 10 },
    ]);
    expect(account!.missing).toEqual([]);
    expect(account!.moved[0]).toMatchObject({ measure: 'usage', now: { points: 0 } });
    expect(account!.moved[0]!.change).toBeLessThan(-30);
    expect(account!.moved.map(({ measure }) => measure)).toContain('nps');
  });

  it('given the same account without the answer, then no alert and no task: a score that has not moved raises nothing', async () => {
    const quiet = await run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [usageAccount('enterprise')], events: healthyThenIdle });

    expect(quiet.health).toMatchObject([{ band: 'green', cause: { type: 'TouchpointLogged' } }]);
    expect(quiet.tasks.filter((task) => task.playbook === 'at-risk')).toEqual([]);
    expect(quiet.alerts.filter((alert) => alert.type === 'health-drop')).toEqual([]);
  });

  it('given a low-touch account, then the champion gets the at-risk e-mail instead of the task, and the alert is ✅ by it', async () => {
    const lowTouch = await run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', accounts: [usageAccount()], events: [...healthyThenIdle, detractor] });

    expect(lowTouch.tasks.filter((task) => task.playbook === 'at-risk')).toEqual([]);
    expect(lowTouch.emails.filter((email) => email.template === 'at-risk')).toMatchObject([{ to: 'champion@example.com', language: 'fr', at: ANSWERED }]);
    expect(lowTouch.alerts.filter((alert) => alert.type === 'health-drop')).toMatchObject([{ acknowledged: true }]);
  });

  it('given the answer delivered again under the same id, then the same single alert and task', async () => {
    const again = await run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [usageAccount('enterprise')], events: [...healthyThenIdle, detractor, { ...detractor, at: '2026-11-17T10:20:00+01:00' }] });

    expect(again.tasks.filter((task) => task.playbook === 'at-risk')).toHaveLength(1);
    expect(again.alerts.filter((alert) => alert.type === 'health-drop')).toHaveLength(1);
  });
});
