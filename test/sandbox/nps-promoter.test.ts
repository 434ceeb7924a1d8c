import { describe, expect, it } from 'vitest';
import { npsAnswer, parisAccount, run, withoutAlertReminder } from '../support/scenario.ts';

// Tuesday 15 December 2026, in Paris.
const ANSWER_AT = '2026-12-15T10:00:00+01:00';
const promoter = (overrides: Record<string, unknown> = {}) => npsAnswer(ANSWER_AT, 9, overrides);
const scenario = (account: ReturnType<typeof parisAccount>) => ({ start: '2026-12-15T08:00:00+01:00', accounts: [account], events: [promoter({ accountId: account.id })] });

describe('nps-response, promoter: the store call (seed 001)', () => {
  it('given an account in France that last ordered on the store three months ago, when a promoter answers, then a store-call is due today for the CSM', async () => {
    const report = await run(scenario(parisAccount({ lastStoreOrderAt: '2026-09-14T11:00:00+02:00' })));

    expect(report.tasks.map((task) => [task.kind, task.owner, task.dueAt])).toEqual([['store-call', 'csm-camille', '2026-12-15T18:00:00+01:00']]);
    expect(report.risks).toEqual([]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given an account in France that never ordered on the store, then a store-call', async () => {
    const report = await run(scenario(parisAccount()));
    expect(report.tasks.map((task) => task.kind)).toEqual(['store-call']);
  });

  it('given an account in France that ordered last month, then no task', async () => {
    const report = await run(scenario(parisAccount({ lastStoreOrderAt: '2026-11-20T16:00:00+01:00' })));

    expect(report.tasks).toEqual([]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given an account in Belgium that never ordered, then no task: the store is French', async () => {
    const report = await run(scenario(parisAccount({ id: 'acc-brussels', country: 'BE', timezone: 'Europe/Brussels' })));
    expect(report.tasks).toEqual([]);
  });

  it('given the alerte-fidelisation preset, when a 7 arrives (high), then it is a promoter and gets the store call', async () => {
    const report = await run({ ...scenario(parisAccount()), config: { nps: { preset: 'alerte-fidelisation' } }, events: [npsAnswer(ANSWER_AT, 7)] });
    expect(report.tasks.map((task) => task.kind)).toEqual(['store-call']);
  });

  it('given the promoter answer delivered twice, then one store-call', async () => {
    const answer = promoter();
    const report = await run({ ...scenario(parisAccount()), events: [answer, { ...answer, at: '2026-12-15T10:00:30+01:00' }] });

    expect(report.tasks.map((task) => task.kind)).toEqual(['store-call']);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});
