import { describe, expect, it } from 'vitest';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { npsAnswer, parisAccount, run, withoutAlertReminder } from '../support/scenario.ts';

// Thursday 12 November 2026.
const newYork = parisAccount({ id: 'acc-ny', name: 'Barber Hudson', country: 'US', timezone: 'America/New_York' });

const churnRisk = (at: string, eventId: string, kind: 'churn-risk' | 'downsell-risk' = 'churn-risk', accountId = 'acc-paris') => ({
  at,
  type: 'ChurnRiskCreated',
  detail: { eventId, accountId, kind, reason: 'Asked about the contract end date', createdAt: at },
});

describe('churn-risk (seed 001): one open risk per account and kind, and "rdc infos & rdv" for today', () => {
  it('given an account in New York, when the CRM creates a churn risk at 16:00 there, then the risk opens (origin crm) and the info-and-meeting task is due at 18:00 New York time', async () => {
    const report = await run({ start: '2026-11-12T08:00:00-05:00', accounts: [newYork], events: [churnRisk('2026-11-12T16:00:00-05:00', 'evt-crm-1', 'churn-risk', 'acc-ny')] });

    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', accountId: 'acc-ny', status: 'open', origin: 'crm', openedAt: '2026-11-12T16:00:00-05:00' })]);
    expect(report.tasks.map((task) => [task.kind, task.owner, task.createdAt, task.dueAt])).toEqual([
      ['churn-risk-info-and-meeting', 'csm-camille', '2026-11-12T16:00:00-05:00', '2026-11-12T18:00:00-05:00'],
    ]);
    expect(withoutAlertReminder(report).executions.map((e) => [e.playbook, e.status])).toEqual([['churn-risk', 'SUCCEEDED']]);
  });

  it('given the risk arrives after business hours on a Friday in Paris, then the task is due on Monday evening', async () => {
    const report = await run({ start: '2026-11-13T08:00:00+01:00', accounts: [parisAccount()], events: [churnRisk('2026-11-13T19:00:00+01:00', 'evt-crm-late')] });
    expect(report.tasks.map((task) => task.dueAt)).toEqual(['2026-11-16T18:00:00+01:00']);
  });

  it('given a churn risk already open (from a detractor answer), when the CRM creates another, then the open one is kept and the CSM still gets the task', async () => {
    const report = await run({
      start: '2026-11-12T08:00:00+01:00',
      until: '2026-11-12T20:00:00+01:00',
      accounts: [parisAccount()],
      events: [npsAnswer('2026-11-12T09:30:00+01:00', 2, { contactId: 'ct-other' }), churnRisk('2026-11-12T11:00:00+01:00', 'evt-crm-2')],
    });

    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', origin: 'nps', openedAt: '2026-11-12T09:30:00+01:00' })]);
    expect(report.tasks.filter((task) => task.playbook === 'churn-risk').map((task) => [task.kind, task.dueAt])).toEqual([
      ['churn-risk-info-and-meeting', '2026-11-12T18:00:00+01:00'],
    ]);
  });

  it('given two churn risks from the CRM on the same account, then one open risk and one task: the open risk is kept, and so is the CSM’s task for it', async () => {
    const report = await run({
      start: '2026-11-12T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [churnRisk('2026-11-12T10:00:00+01:00', 'evt-crm-3'), churnRisk('2026-11-12T15:00:00+01:00', 'evt-crm-4')],
    });

    expect(report.risks).toHaveLength(1);
    expect(report.tasks.map((task) => [task.kind, task.createdAt])).toEqual([['churn-risk-info-and-meeting', '2026-11-12T10:00:00+01:00']]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('given a churn risk, then its info-and-meeting task is keyed on the risk the event opened or joined (playbook churn-risk, reason the risk id)', async () => {
    const requests: unknown[] = [];
    const spy: FunctionInterceptor = (id, input, call) => {
      if (id === 'create-task') requests.push(input);
      return call();
    };
    const report = await run({ start: '2026-11-12T08:00:00+01:00', accounts: [parisAccount()], events: [churnRisk('2026-11-12T10:00:00+01:00', 'evt-crm-9')] }, spy);

    expect(requests).toEqual([expect.objectContaining({ playbook: 'churn-risk', kind: 'churn-risk-info-and-meeting', reason: report.risks[0]!.id })]);
  });

  it('given a churn risk open from the CRM, when a Red Alert couples with it, then the CSM keeps its single info-and-meeting task (both key it on the risk)', async () => {
    const redAlert = {
      at: '2026-11-12T11:00:00+01:00',
      type: 'CompetitorMeetingDetected',
      detail: { eventId: 'evt-red-1', accountId: 'acc-paris', competitor: 'Planity', meetingAt: '2026-11-26T15:00:00+01:00', detectedAt: '2026-11-12T11:00:00+01:00' },
    };
    const report = await run({
      start: '2026-11-12T08:00:00+01:00',
      until: '2026-11-12T20:00:00+01:00',
      accounts: [parisAccount()],
      events: [churnRisk('2026-11-12T10:00:00+01:00', 'evt-crm-10'), redAlert],
    });

    expect(report.risks).toHaveLength(1);
    expect(report.tasks.filter((task) => task.kind === 'churn-risk-info-and-meeting').map((task) => [task.playbook, task.createdAt])).toEqual([
      ['churn-risk', '2026-11-12T10:00:00+01:00'],
    ]);
  });

  it('given an open churn risk, when a downsell risk is created, then both are open, each with its task', async () => {
    const report = await run({
      start: '2026-11-12T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [churnRisk('2026-11-12T10:00:00+01:00', 'evt-crm-5'), churnRisk('2026-11-12T11:00:00+01:00', 'evt-crm-6', 'downsell-risk')],
    });

    expect(report.risks.map((risk) => [risk.kind, risk.status, risk.origin])).toEqual([
      ['churn-risk', 'open', 'crm'],
      ['downsell-risk', 'open', 'crm'],
    ]);
    expect(report.tasks).toHaveLength(2);
  });

  it('given the same CRM event delivered three times, then one risk and one task, and every delivery succeeds', async () => {
    const event = churnRisk('2026-11-12T10:00:00+01:00', 'evt-crm-7');
    const report = await run({
      start: '2026-11-12T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [event, { ...event, at: '2026-11-12T10:00:02+01:00' }, { ...event, at: '2026-11-13T09:00:00+01:00' }],
    });

    expect(report.risks).toHaveLength(1);
    expect(report.tasks).toHaveLength(1);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('given a CRM event without a reason, then the task is created all the same', async () => {
    const { reason: _reason, ...detail } = churnRisk('2026-11-12T10:00:00+01:00', 'evt-crm-8').detail;
    const report = await run({ start: '2026-11-12T08:00:00+01:00', accounts: [parisAccount()], events: [{ at: '2026-11-12T10:00:00+01:00', type: 'ChurnRiskCreated', detail }] });

    expect(report.tasks.map((task) => task.kind)).toEqual(['churn-risk-info-and-meeting']);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });
});
