import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
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

const atRisk = (report: Awaited<ReturnType<typeof run>>) => ({
  posts: report.notifications.filter((post) => post.type === 'health-drop').map(({ at, text }) => ({ at, text: text.split('\n')[1] })),
  tasks: report.tasks.filter((task) => task.playbook === 'at-risk').map(({ kind, owner, createdAt }) => ({ kind, owner, createdAt })),
});

describe('health: a healthy account whose usage stops, then whose champion answers a detractor NPS', () => {
  let answered: ReturnType<typeof run> | undefined;
  const report = () => (answered ??= run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [usageAccount('enterprise')], events: [...healthyThenIdle, detractor] }));

  it('when the nights rescore it, then they see usage fall: a warning within green (18 points in a week), then yellow, each naming usage, each with its at-risk-plan', async () => {
    const { posts, tasks } = atRisk(await report());

    expect(posts.slice(0, 2)).toEqual([
      { at: '2026-11-11T03:00:00+01:00', text: 'Health 82 (green), down from 100 (green) within a week: usage dragged it down most (this week at 60 % of the 4 weeks before).' },
      { at: '2026-11-13T03:00:00+01:00', text: 'Health 67 (yellow), down from 77 (green): usage dragged it down most (this week at 25 % of the 4 weeks before).' },
    ]);
    expect(tasks.slice(0, 2)).toEqual([
      { kind: 'at-risk-plan', owner: 'csm-camille', createdAt: '2026-11-11T03:00:00+01:00' },
      { kind: 'at-risk-plan', owner: 'csm-camille', createdAt: '2026-11-13T03:00:00+01:00' },
    ]);
  });

  it('when the answer comes, then the account is red within the minute, not at night: one more alert naming usage, one more at-risk-plan, the alert ✅', async () => {
    const result = await report();
    const { posts, tasks } = atRisk(result);

    expect(result.health).toMatchObject([{ accountId: 'acc-paris', score: 49, band: 'red', cause: { type: 'NpsResponseReceived', eventId: 'evt-nps-detractor' }, scoredAt: ANSWERED, previous: { score: 55, band: 'yellow' } }]);
    expect(posts.filter(({ at }) => at === ANSWERED)).toEqual([{ at: ANSWERED, text: 'Health 49 (red), down from 55 (yellow): usage dragged it down most (this week at 0 % of the 4 weeks before).' }]);
    expect(tasks.filter(({ createdAt }) => createdAt === ANSWERED)).toEqual([{ kind: 'at-risk-plan', owner: 'csm-camille', createdAt: ANSWERED }]);
    expect(posts).toHaveLength(3);
    expect(result.alerts.filter((alert) => alert.type === 'health-drop').map(({ acknowledged }) => acknowledged)).toEqual([true, true, true]);
    expect(result.executions.filter((execution) => execution.playbook === 'at-risk').map(({ status }) => status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('then the score explains itself: each measure with its value, points and weight, and what moved it since the night before: the NPS answer', async () => {
    const [account] = (await report()).health;

    expect(account!.lines.map(({ measure, points, weight, appliedWeight }) => ({ measure, points, weight, appliedWeight }))).toEqual([
      { measure: 'usage', points: 0, weight: 35, appliedWeight: 35 },
      { measure: 'engagement', points: 88, weight: 25, appliedWeight: 25 },
      { measure: 'nps', points: 10, weight: 15, appliedWeight: 15 },
      { measure: 'pulse', points: 100, weight: 15, appliedWeight: 15 },
      { measure: 'support', points: 100, weight: 10, appliedWeight: 10 },
    ]);
    expect(account!.missing).toEqual([]);
    // The night before, NPS had no data: its 15 of weight were spread over the others.
    expect(account!.moved.find(({ measure }) => measure === 'nps')).toEqual({ measure: 'nps', change: 1.5, now: { value: 'latest NPS answer 1 (2026-11-17)', points: 10, appliedWeight: 15 } });
    expect(account!.moved.find(({ measure }) => measure === 'pulse')).toMatchObject({ change: -2.6 });
  });

  it('given the same account without the answer, then it stays yellow: no red, nothing at the answer’s minute', async () => {
    const quiet = await run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [usageAccount('enterprise')], events: healthyThenIdle });

    expect(quiet.health).toMatchObject([{ score: 55, band: 'yellow', cause: { type: 'nightly' } }]);
    expect(atRisk(quiet).posts.map(({ at }) => at)).toEqual(['2026-11-11T03:00:00+01:00', '2026-11-13T03:00:00+01:00']);
  });

  it('given a low-touch account, then the champion gets the at-risk e-mail once, and the CSM the task for each fall after it within 30 days', async () => {
    const lowTouch = await run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', accounts: [usageAccount()], events: [...healthyThenIdle, detractor] });

    expect(lowTouch.emails.filter((email) => email.template === 'at-risk')).toMatchObject([{ to: 'champion@example.com', language: 'fr', at: '2026-11-11T03:00:00+01:00', status: 'recorded' }]);
    expect(atRisk(lowTouch).tasks.map(({ createdAt }) => createdAt)).toEqual(['2026-11-13T03:00:00+01:00', ANSWERED]);
    expect(lowTouch.alerts.filter((alert) => alert.type === 'health-drop').map(({ acknowledged }) => acknowledged)).toEqual([true, true, true]);
  });

  it('given the answer delivered again under the same id, then the same alerts and tasks', async () => {
    const again = await run({ start: USAGE_START, until: '2026-11-18T00:00:00+01:00', config: HIGH_TOUCH, accounts: [usageAccount('enterprise')], events: [...healthyThenIdle, detractor, { ...detractor, at: '2026-11-17T10:20:00+01:00' }] });

    expect(atRisk(again)).toEqual(atRisk(await report()));
  });
});

describe("health: the CSM's pulse", () => {
  it('given a pulse of 1 on 6 October, then it weighs on the score until health.pulseValidDays (90) have passed, and the night after it has expired: no data, its weight spread', async () => {
    const champion = (day: string) => ({ at: `${day}T19:00:00+01:00`, type: 'ProductUsageRecorded', detail: { eventId: `day-${day}`, accountId: 'acc-paris', contactId: 'ct-champion', day, uses: 5 } });
    const days: string[] = [];
    for (let day = '2026-10-05'; day <= '2027-01-08'; day = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) days.push(day);
    const pulse = at('2026-10-06T17:00:00+02:00', 'CsmPulseRecorded', { eventId: 'evt-pulse', csmId: 'csm-camille', pulse: 1, reasons: ['sponsor left'], at: '2026-10-06T17:00:00+02:00' });
    const call = at('2026-12-28T15:00:00+01:00', 'TouchpointLogged', { eventId: 'evt-call', channel: 'call', at: '2026-12-28T15:00:00+01:00' });
    const scenario = (until: string) => ({ start: USAGE_START, until, accounts: [usageAccount()], events: [...days.filter((day) => `${day}T19:00:00+01:00` < until).map(champion), pulse, call] });

    const before = await run(scenario('2027-01-04T12:00:00+01:00'));
    expect(before.health[0]!.lines.find(({ measure }) => measure === 'pulse')).toMatchObject({ value: 'CSM pulse 1/5 (2026-10-06)', points: 0 });

    const after = await run(scenario('2027-01-05T12:00:00+01:00'));
    expect(after.health[0]).toMatchObject({ cause: { type: 'nightly' }, missing: expect.arrayContaining(['pulse']) });
    expect(after.health[0]!.moved.find(({ measure }) => measure === 'pulse')).toMatchObject({ before: { points: 0 } });
    expect(after.health[0]!.score).toBeGreaterThan(before.health[0]!.score!);
  });
});

describe('health: the example of the README (examples/health.scenario.json)', () => {
  it('given Institut Lumière stopping and its champion answering 1, and Salon Marguerite going on, then Lumière is red from the answer’s minute with its at-risk-plan, and Marguerite green with nothing raised', async () => {
    const report = await simulate(parseScenario(JSON.parse(readFileSync('examples/health.scenario.json', 'utf8'))));

    expect(report.health.map(({ accountId, band }) => [accountId, band])).toEqual([
      ['acc-institut-lumiere', 'red'],
      ['acc-salon-marguerite', 'green'],
    ]);
    const plans = report.tasks.filter((task) => task.kind === 'at-risk-plan');
    expect(plans.map(({ accountId }) => accountId)).toEqual(['acc-institut-lumiere', 'acc-institut-lumiere', 'acc-institut-lumiere']);
    expect(plans.at(-1)).toMatchObject({ createdAt: '2026-11-17T10:12:00+01:00' });
    expect(report.notifications.filter((post) => post.type === 'health-drop' && post.accountId === 'acc-salon-marguerite')).toEqual([]);
    expect(report.scheduledRuns).toMatchObject([
      { playbook: 'health-nightly', failed: [], running: [] },
      { playbook: 'monday-digest', failed: [], running: [] },
    ]);
  });
});
