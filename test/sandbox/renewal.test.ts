import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../sandbox/report/report.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { parisAccount, run } from '../support/scenario.ts';

// Renewal anticipation of docs/playbooks.md (renewal), end to end in the sandbox: the CRM's update
// carrying the renewal date starts the account's renewal check (statemachines/renewal.asl.json in the
// real interpreter), which wakes on the branch's day and each reminder's, 09:00 in Paris.
// A renewal on Wednesday 30 June 2027, no notice period: the branch on Tuesday 2 March (120 days
// before), the reminders on Thursday 1 April (90, summer time), Saturday 1 May (60: a public holiday,
// so Monday 3 May) and Monday 31 May (30).

const START = '2027-02-22T08:00:00+01:00';
const RENEWAL = '2027-06-30T00:00:00+02:00';
const CONFIG = { renewal: { strategicSegments: ['enterprise'] } };
let counter = 0;
const update = (at: string, accountId: string, patch: object) => ({ at, type: 'AccountUpdated', detail: { eventId: `evt-crm-${++counter}`, accountId, ...patch } });
const renewalTasks = (report: Report, accountId: string) => report.tasks.filter((task) => task.playbook === 'renewal' && task.accountId === accountId).map(({ kind, createdAt, owner }) => ({ kind, createdAt, owner }));

describe('renewal: the three branches on the right day, then the reminders', () => {
  const accounts = [
    parisAccount({ id: 'acc-risk', name: 'Salon Risque' }),
    parisAccount({ id: 'acc-big', name: 'Groupe Grand', segment: 'enterprise' }),
    parisAccount({ id: 'acc-std', name: 'Salon Standard' }),
  ];
  const events = [
    ...accounts.map(({ id }) => update('2027-02-22T10:00:00+01:00', id, { renewalAt: RENEWAL })),
    { at: '2027-02-24T11:00:00+01:00', type: 'ChurnRiskCreated', detail: { eventId: 'evt-risk', accountId: 'acc-risk', kind: 'churn-risk', reason: 'budget cut announced', createdAt: '2027-02-24T11:00:00+01:00' } },
  ];
  let report: Promise<Report> | undefined;
  const simulated = () => (report ??= run({ start: START, until: '2027-06-15T00:00:00+02:00', config: CONFIG, accounts, events }));

  it('given an open churn risk, then renewal-save-plan on 2 March at 09:00, and the team lead told', async () => {
    const result = await simulated();
    expect(renewalTasks(result, 'acc-risk')[0]).toEqual({ kind: 'renewal-save-plan', createdAt: '2027-03-02T09:00:00+01:00', owner: 'csm-camille' });
    expect(result.notifications.filter((post) => post.accountId === 'acc-risk' && post.channel.startsWith('direct:')).map(({ at, channel }) => ({ at, channel }))).toEqual([{ at: '2027-03-02T09:00:00+01:00', channel: 'direct:lead-jordan' }]);
  });

  it('given a strategic segment, then renewal-executive-review; given neither, renewal-proposal: the same day', async () => {
    const result = await simulated();
    expect(renewalTasks(result, 'acc-big')[0]).toEqual({ kind: 'renewal-executive-review', createdAt: '2027-03-02T09:00:00+01:00', owner: 'csm-camille' });
    expect(renewalTasks(result, 'acc-std')[0]).toEqual({ kind: 'renewal-proposal', createdAt: '2027-03-02T09:00:00+01:00', owner: 'csm-camille' });
  });

  it('then a renewal-reminder at 90, 60 and 30 days before the notice date, each on a business day at 09:00', async () => {
    const result = await simulated();
    expect(renewalTasks(result, 'acc-std').slice(1)).toEqual([
      { kind: 'renewal-reminder', createdAt: '2027-04-01T09:00:00+02:00', owner: 'csm-camille' },
      { kind: 'renewal-reminder', createdAt: '2027-05-03T09:00:00+02:00', owner: 'csm-camille' },
      { kind: 'renewal-reminder', createdAt: '2027-05-31T09:00:00+02:00', owner: 'csm-camille' },
    ]);
    // One live check per account at a time, and none left running once the last reminder is set.
    expect(result.executions.filter(({ playbook, status }) => playbook === 'renewal' && status === 'RUNNING')).toEqual([]);
  });
});

describe('renewal: a moved date, a recorded renewal', () => {
  it('given the renewal moved from 30 June to 30 September before its branch day, then nothing on 2 March: the branch on 2 June, for the new date', async () => {
    const result = await run({
      start: START,
      until: '2027-06-03T00:00:00+02:00',
      accounts: [parisAccount()],
      events: [update('2027-02-22T10:00:00+01:00', 'acc-paris', { renewalAt: RENEWAL }), update('2027-02-26T10:00:00+01:00', 'acc-paris', { renewalAt: '2027-09-30T00:00:00+02:00' })],
    });
    expect(renewalTasks(result, 'acc-paris')).toEqual([{ kind: 'renewal-proposal', createdAt: '2027-06-02T09:00:00+02:00', owner: 'csm-camille' }]);
    expect(result.tasks.find((task) => task.playbook === 'renewal')!.details).toMatch(/^Renewal on 2027-09-30: 120 days to go\. Standard/);
  });

  it('given the renewal recorded on 15 March, after its branch, then no reminder after it', async () => {
    const result = await run({
      start: START,
      until: '2027-06-15T00:00:00+02:00',
      accounts: [parisAccount()],
      events: [
        update('2027-02-22T10:00:00+01:00', 'acc-paris', { renewalAt: RENEWAL }),
        { at: '2027-03-15T16:00:00+01:00', type: 'RenewalRecorded', detail: { eventId: 'evt-renewed', accountId: 'acc-paris', outcome: 'renewed', renewalAt: RENEWAL, at: '2027-03-15T16:00:00+01:00' } },
      ],
    });
    expect(renewalTasks(result, 'acc-paris')).toEqual([{ kind: 'renewal-proposal', createdAt: '2027-03-02T09:00:00+01:00', owner: 'csm-camille' }]);
    expect(result.executions.filter(({ playbook, status }) => playbook === 'renewal' && status === 'RUNNING')).toEqual([]);
  });
});

describe('renewal: the example of the repository (examples/renewal.scenario.json)', () => {
  it('given four renewals on 30 June (one strategic, one at risk, one renewed in April, one moved to September), then each branch on its day, the reminders until recorded, and the moved one on its new day', async () => {
    const report = await simulate(parseScenario(JSON.parse(readFileSync('examples/renewal.scenario.json', 'utf8'))));
    const kinds = (accountId: string) => renewalTasks(report, accountId).map(({ kind, createdAt }) => `${createdAt.slice(0, 10)} ${kind}`);

    expect(kinds('acc-salon-iris')).toEqual(['2027-03-02 renewal-proposal', '2027-04-01 renewal-reminder', '2027-05-03 renewal-reminder', '2027-05-31 renewal-reminder']);
    expect(kinds('acc-spa-celeste')).toEqual(['2027-03-02 renewal-save-plan', '2027-04-01 renewal-reminder', '2027-05-03 renewal-reminder', '2027-05-31 renewal-reminder']);
    // Renewed on 20 April: no reminder after it.
    expect(kinds('acc-groupe-aurore')).toEqual(['2027-03-02 renewal-executive-review', '2027-04-01 renewal-reminder']);
    // Moved to 30 September on 1 March: nothing for June; the branch 120 days before September.
    expect(kinds('acc-institut-opale')).toEqual(['2027-06-02 renewal-proposal']);
    expect(report.executions.filter(({ status }) => status === 'FAILED')).toEqual([]);
  });
});
