import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_SLICE_DAYS } from '../../functions/core/checks/wake-up.ts';
import type { FunctionInterceptor, Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { accountUpdated, checkExecutions, checkTasks, drive, durationDays, mostRunningAtOnce, tasksOf, touchpoint } from '../support/no-contact.ts';
import { parisAccount, run } from '../support/scenario.ts';

// The 91-day check end to end on the virtual clock: statemachines/no-contact.asl.json in the real
// interpreter, the real functions, a real DynamoDB API, hand-overs through the sandbox's
// StartExecution. Paris: +01:00 in winter, +02:00 from 28 March 2027. Monday 16 November 2026 + 91
// days is Monday 15 February 2027.
const CALL = '2026-11-16T10:00:00+01:00';
const START = '2026-11-16T08:00:00+01:00';

/** Keeps the inputs of create-task's calls for the check's tasks (their details name the champion). */
function taskInputs(): { intercept: FunctionInterceptor; inputs: Record<string, unknown>[] } {
  const inputs: Record<string, unknown>[] = [];
  return {
    inputs,
    intercept: (id, input, call) => {
      if (id === 'create-task' && (input as { playbook?: string }).playbook === 'no-contact') inputs.push(input as Record<string, unknown>);
      return call();
    },
  };
}

describe('no-contact: the 91-day check', () => {
  it('given a call with the champion on Monday 16 November and nothing since, then a no-contact-outreach on Monday 15 February at 09:00 naming the champion, and a no-contact-reminder a week later', async () => {
    const spy = taskInputs();
    const report = await run({ start: START, accounts: [parisAccount()], events: [touchpoint(CALL)] }, spy.intercept);

    expect(tasksOf(report)).toEqual([
      ['no-contact-outreach', '2027-02-15T09:00:00+01:00', '2027-02-15T18:00:00+01:00'],
      ['no-contact-reminder', '2027-02-22T09:00:00+01:00', '2027-02-22T18:00:00+01:00'],
    ]);
    expect(checkTasks(report).map((task) => task.owner)).toEqual(['csm-camille', 'csm-camille']);
    // The tasks as filed name the champion; the execution handed create-task the sealed texts' ids only.
    expect(checkTasks(report).map((task) => task.details)).toEqual([
      expect.stringMatching(/^No contact for 91 days: the last touchpoint .* was on 2026-11-16\. .*Propose it to the champion, Alex Champion \(champion@example\.com\)\.$/),
      expect.stringMatching(/^Reminder: an exchange was proposed on 2027-02-15 .*champion, Alex Champion/),
    ]);
    expect(spy.inputs.map((input) => input.details)).toEqual([{ sealed: expect.stringMatching(/^sld-/), accountId: expect.any(String) }, { sealed: expect.stringMatching(/^sld-/), accountId: expect.any(String) }]);
    expect(checkExecutions(report).every((execution) => execution.status === 'SUCCEEDED')).toBe(true);
  });

  it('given the run stops on 15 February at 08:59, then no outreach yet, and exactly one execution still waits', async () => {
    const report = await run({ start: START, until: '2027-02-15T08:59:00+01:00', accounts: [parisAccount()], events: [touchpoint(CALL)] });
    expect(checkTasks(report)).toEqual([]);
    expect(checkExecutions(report).filter((execution) => execution.status === 'RUNNING')).toHaveLength(1);
  });

  it('given a second call on day 60 (Friday 15 January), then no outreach on day 91: the check moved, and the outreach comes 91 days after that call (Friday 16 April, 09:00 summer time)', async () => {
    const report = await run({ start: START, accounts: [parisAccount()], events: [touchpoint(CALL), touchpoint('2027-01-15T14:00:00+01:00')] });
    expect(tasksOf(report)).toEqual([
      ['no-contact-outreach', '2027-04-16T09:00:00+02:00', '2027-04-16T18:00:00+02:00'],
      ['no-contact-reminder', '2027-04-23T09:00:00+02:00', '2027-04-23T18:00:00+02:00'],
    ]);
  });

  it('given a meeting two days after the outreach, then no reminder: the goal is met, and a new count runs from the meeting (outreach 91 days later)', async () => {
    const report = await run({
      start: START,
      accounts: [parisAccount()],
      events: [touchpoint(CALL), touchpoint('2027-02-17T15:00:00+01:00', { channel: 'meeting' })],
    });
    expect(tasksOf(report)).toEqual([
      ['no-contact-outreach', '2027-02-15T09:00:00+01:00', '2027-02-15T18:00:00+01:00'],
      // 17 February + 91 days: Wednesday 19 May 2027.
      ['no-contact-outreach', '2027-05-19T09:00:00+02:00', '2027-05-19T18:00:00+02:00'],
      ['no-contact-reminder', '2027-05-26T09:00:00+02:00', '2027-05-26T18:00:00+02:00'],
    ]);
  });

  it('given the same TouchpointLogged delivered three times, then nothing new comes of the repeats: one live check, the same two tasks, and each repeat ends at once', async () => {
    const call = touchpoint(CALL, { eventId: 'evt-call-dup' });
    const report = await run({
      start: START,
      accounts: [parisAccount()],
      events: [call, { ...call, at: '2026-11-16T10:00:05+01:00' }, { ...call, at: '2026-12-20T11:00:00+01:00' }],
    });
    expect(tasksOf(report).map(([kind, createdAt]) => [kind, createdAt])).toEqual([
      ['no-contact-outreach', '2027-02-15T09:00:00+01:00'],
      ['no-contact-reminder', '2027-02-22T09:00:00+01:00'],
    ]);
    const repeats = checkExecutions(report).filter((execution) => execution.startedAt === '2026-11-16T10:00:05+01:00' || execution.startedAt === '2026-12-20T11:00:00+01:00');
    // ByInput, StartCheck, ByStart, CheckAlreadyLive: ended where it started.
    expect(repeats).toEqual([expect.objectContaining({ transitions: 4, status: 'SUCCEEDED' }), expect.objectContaining({ transitions: 4, status: 'SUCCEEDED' })]);
    expect(repeats.map(durationDays)).toEqual([0, 0]);
    expect(mostRunningAtOnce(checkExecutions(report))).toBe(1);
  });

  it('given a call older than the last one delivered late, then the check does not move backwards', async () => {
    const report = await run({
      start: START,
      accounts: [parisAccount()],
      events: [touchpoint(CALL), touchpoint('2026-12-01T10:00:00+01:00', { deliveredAt: '2026-12-02T10:00:00+01:00' }), touchpoint('2026-11-20T10:00:00+01:00', { deliveredAt: '2026-12-03T10:00:00+01:00' })],
    });
    // 1 December + 91 days: Tuesday 2 March 2027.
    expect(tasksOf(report)[0]).toEqual(['no-contact-outreach', '2027-03-02T09:00:00+01:00', '2027-03-02T18:00:00+01:00']);
  });

  it('given a touchpoint whose delivery to the check was lost (dead-lettered) but filed by touchpoint-log, then the holder still reads it at its wake-up and re-plans from it', async () => {
    const lost: FunctionInterceptor = (id, input, call) =>
      id === 'start-no-contact-check' && (input as { detail: { eventId: string } }).detail.eventId === 'evt-lost'
        ? Promise.resolve({ action: 'unchanged', accountId: 'acc-paris', why: 'live' })
        : call();
    const report = await run({ start: START, accounts: [parisAccount()], events: [touchpoint(CALL), touchpoint('2027-01-15T14:00:00+01:00', { eventId: 'evt-lost' })] }, lost);
    expect(tasksOf(report)[0]?.[1]).toBe('2027-04-16T09:00:00+02:00');
  });
});

describe('no-contact: at most one live check per account', () => {
  it('given forty events for one account over a year (calls, one delivered 40 days late, repeats, CRM updates), then never more than one check execution running at a time, and one outreach for the one silence of 91 days', async () => {
    const day = (n: number, hour = 10) => new Date(Date.parse(CALL) + n * 86_400_000 + (hour - 10) * 3_600_000).toISOString();
    const calls = [0, 20, 45, 46, 70, 130, 131, 200, 260, 300].map((n) => touchpoint(day(n)));
    const events = [
      ...calls,
      touchpoint(day(10), { deliveredAt: day(50) }),
      // Nine calls delivered again a few hours later, and the CRM updating the account every 10 days for 200 days.
      ...calls.slice(1).map((call) => ({ ...call, at: new Date(Date.parse(call.at) + 3 * 3_600_000).toISOString() })),
      ...Array.from({ length: 20 }, (_, i) => accountUpdated(day(i * 10 + 5, 11), { mrr: 900 + i })),
    ];
    const { sandbox, executions, mostRunning, stop } = await drive({ start: START, accounts: [parisAccount()], events });
    try {
      const check = executions.filter((execution) => execution.playbook === 'no-contact');
      // Observed whenever the sandbox rested, and over the whole run from the executions' start and stop.
      expect(mostRunning).toBe(1);
      expect(
        mostRunningAtOnce(check.map((e) => ({ startedAt: new Date(e.startedAt).toISOString(), stoppedAt: e.stoppedAt === undefined ? null : new Date(e.stoppedAt).toISOString() }))),
      ).toBe(1);
      expect(check.every((execution) => execution.status === 'SUCCEEDED')).toBe(true);
      // No gap reaches 91 days before the last call (day 300, Sunday 12 September 2027): then the outreach, on Monday 13 December.
      const tasks = await sandbox.ledger.scan<{ kind: string; createdAt: string }>('task');
      expect(tasks.map((task) => [task.kind, task.createdAt]).sort()).toEqual([
        ['no-contact-outreach', '2027-12-13T09:00:00+01:00'],
        ['no-contact-reminder', '2027-12-20T09:00:00+01:00'],
      ]);
    } finally {
      await stop();
    }
  });

  it('given the CRM syncing a new account that never had a touchpoint, signed two weeks before, then the count runs from the sync: nothing is overdue on the day the ledger learns of it', async () => {
    const { id, ...record } = parisAccount();
    const report = await run({
      start: START,
      accounts: [],
      // Signed on Monday 2 November, synced on Monday 16 November: 91 days after the sync is Monday 15 February 2027.
      events: [accountUpdated('2026-11-16T09:00:00+01:00', { ...record, signedAt: '2026-11-02T15:00:00+01:00' }, id)],
    });
    expect(tasksOf(report).map(([kind, createdAt]) => [kind, createdAt])).toEqual([
      ['no-contact-outreach', '2027-02-15T09:00:00+01:00'],
      ['no-contact-reminder', '2027-02-22T09:00:00+01:00'],
    ]);
  });

  it('given an account signed in 2019 (years before the public holidays the stage holds) and imported on Monday 16 November 2026, then its 91-day outreach comes 91 days after the import, naming the count', async () => {
    const { id, ...record } = parisAccount();
    const report = await run({
      start: START,
      accounts: [],
      events: [accountUpdated('2026-11-16T09:00:00+01:00', { ...record, signedAt: '2019-03-12T11:00:00+01:00' }, id)],
    });
    expect(tasksOf(report).map(([kind, createdAt]) => [kind, createdAt])).toEqual([
      ['no-contact-outreach', '2027-02-15T09:00:00+01:00'],
      ['no-contact-reminder', '2027-02-22T09:00:00+01:00'],
    ]);
    expect(report.tasks.find((task) => task.kind === 'no-contact-outreach')?.details).toContain('no touchpoint is on file since the account was imported on 2026-11-16');
    expect(report.executions.filter((execution) => execution.status === 'FAILED')).toEqual([]);
  });

  it('given a CRM update of a known account without a signature date or a touchpoint, then the count runs from when the check first saw it; later updates change nothing', async () => {
    const report = await run({
      start: START,
      accounts: [parisAccount()],
      events: [accountUpdated('2026-11-16T09:00:00+01:00', { mrr: 950 }), accountUpdated('2026-12-16T09:00:00+01:00', { mrr: 990 })],
    });
    expect(tasksOf(report).map(([kind, createdAt]) => [kind, createdAt])).toEqual([
      ['no-contact-outreach', '2027-02-15T09:00:00+01:00'],
      ['no-contact-reminder', '2027-02-22T09:00:00+01:00'],
    ]);
  });

  it('given an update for an account the ledger does not know, then account-sync keeps it pending (reported) and the check ends at once, saying pending, without an alarm and without retrying', async () => {
    // What each call of start-no-contact-check answered, or the error it threw.
    const starts: unknown[] = [];
    const report = await run({ start: START, accounts: [], events: [accountUpdated('2026-11-16T09:00:00+01:00', { mrr: 100 }, 'acc-new')] }, (id, _input, call) =>
      id !== 'start-no-contact-check'
        ? call()
        : call().then(
            (answer) => (starts.push(answer), answer),
            (error: Error) => (starts.push(error.name), Promise.reject(error)),
          ),
    );
    expect(report.pendingAccounts.map((pending) => pending.accountId)).toEqual(['acc-new']);
    expect(report.executions.map((e) => [e.playbook, e.status])).toEqual([
      ['account-sync', 'SUCCEEDED'],
      ['no-contact', 'SUCCEEDED'],
      // The renewal check skips it the same way.
      ['renewal', 'SUCCEEDED'],
    ]);
    expect(starts).toEqual([{ action: 'skipped', accountId: 'acc-new', why: 'pending' }]);
    expect(durationDays(checkExecutions(report)[0]!)).toBe(0);
    expect(checkTasks(report)).toEqual([]);
  });
});

describe('no-contact: long waits, hand-overs and redeploys', () => {
  it(`given calls every 80 days for 500 days, then no outreach until 91 days after the last, no execution longer than a slice (${CHECK_SLICE_DAYS} days), and the check handed over from execution to execution`, async () => {
    const calls = Array.from({ length: 7 }, (_, i) => touchpoint(new Date(Date.parse(CALL) + i * 80 * 86_400_000).toISOString()));
    const report = await run({ start: START, accounts: [parisAccount()], events: calls });
    // The last call: day 480, Friday 10 March 2028 (a leap year); + 91 days: Friday 9 June 2028.
    expect(tasksOf(report).map(([kind, createdAt]) => [kind, createdAt])).toEqual([
      ['no-contact-outreach', '2028-06-09T09:00:00+02:00'],
      ['no-contact-reminder', '2028-06-16T09:00:00+02:00'],
    ]);
    const check = checkExecutions(report);
    const handedOver = check.filter((execution) => execution.name.startsWith('nc-'));
    expect(Math.max(...check.map(durationDays))).toBeLessThanOrEqual(CHECK_SLICE_DAYS);
    // 571 days of checking, a slice at a time: about twenty executions, each handed over by the one before.
    expect(handedOver.length).toBeGreaterThanOrEqual(571 / CHECK_SLICE_DAYS);
    expect(handedOver.map((execution) => Number(execution.name.split('-').at(-1)))).toEqual(handedOver.map((_, i) => i + 1));
    for (const [previous, next] of handedOver.slice(0, -1).map((execution, i) => [execution, handedOver[i + 1]!] as const)) {
      expect(next.startedAt).toBe(previous.stoppedAt);
    }
    expect(check.every((execution) => execution.status === 'SUCCEEDED')).toBe(true);
  });

  it('given a redeploy on day 10 that gives the outreach to the team lead, then the waiting execution keeps its version until it wakes, and the check hands over to the new one by name: the outreach goes to the team lead', async () => {
    let before = '';
    let after = '';
    const redeployed = (sandbox: Sandbox) => {
      const text = readFileSync('statemachines/no-contact.asl.json', 'utf8');
      const edited = text.replace(/("kind": "no-contact-outreach",\s*"ownerRole": )"csm"/, '$1"teamLead"');
      expect(edited).not.toBe(text);
      before = sandbox.revisionOf('no-contact')!;
      return sandbox.redeploy('no-contact', edited).then((revision) => (after = revision));
    };
    const { sandbox, executions, stop } = await drive({
      start: START,
      accounts: [parisAccount()],
      events: [touchpoint(CALL)],
      at: [{ at: '2026-11-26T12:00:00+01:00', action: redeployed }],
    });
    try {
      const tasks = await sandbox.ledger.scan<{ kind: string; owner: string }>('task');
      expect(tasks.map((task) => [task.kind, task.owner])).toEqual(expect.arrayContaining([['no-contact-outreach', 'lead-jordan']]));
      const check = executions.filter((execution) => execution.playbook === 'no-contact');
      expect(after).not.toBe(before);
      // The execution the call started ran the old version to its wake-up; every hand-over since runs the new one.
      expect(check.map((execution) => [execution.name.startsWith('nc-') ? 'handed-over' : 'started by the call', execution.revision])).toEqual([
        ['started by the call', before],
        ...check.slice(1).map(() => ['handed-over', after]),
      ]);
      // It was waiting when the redeploy came (day 10), and woke on day 30.
      expect(new Date(check[0]!.stoppedAt!).toISOString()).toBe('2026-12-16T09:00:00.000Z');
    } finally {
      await stop();
    }
  });

  it('given a call on Friday 23 October 2026 (summer time) and the clocks going back on the 25th, then the outreach is on Friday 22 January at 09:00 winter time', async () => {
    const report = await run({ start: '2026-10-23T08:00:00+02:00', accounts: [parisAccount()], events: [touchpoint('2026-10-23T10:00:00+02:00')] });
    expect(tasksOf(report)[0]).toEqual(['no-contact-outreach', '2027-01-22T09:00:00+01:00', '2027-01-22T18:00:00+01:00']);
  });

  it('given a call on Monday 28 December 2026 and the clocks going forward on 28 March, when day 91 is Easter Monday, then the outreach is on Tuesday 30 March at 09:00 summer time', async () => {
    const report = await run({ start: '2026-12-28T08:00:00+01:00', accounts: [parisAccount()], events: [touchpoint('2026-12-28T15:00:00+01:00')] });
    expect(tasksOf(report)[0]).toEqual(['no-contact-outreach', '2027-03-30T09:00:00+02:00', '2027-03-30T18:00:00+02:00']);
  });
});
