import { describe, expect, it } from 'vitest';
import { countId } from '../../functions/core/no-contact/check.ts';
import { ACCOUNT, tasksOf, touchpoint } from '../support/no-contact.ts';
import { parisAccount, run } from '../support/scenario.ts';

// no-contact (docs/playbooks.md): on day 91 without a touchpoint, "propose an exchange to the champion:
// e-mail no-contact-proposal (noContactEmailMode: auto or approval — the CSM approves, edits or
// cancels) and task no-contact-outreach". Monday 16 November 2026 + 91 days is Monday 15 February 2027.
const CALL = '2026-11-16T10:00:00+01:00';
const START = '2026-11-16T08:00:00+01:00';
const OUTREACH = '2027-02-15T09:00:00+01:00';
const COUNT = countId(CALL);
const APPROVAL = { noContact: { noContactEmailMode: 'approval' } };
/** The check's own tasks (outreach, reminder), without the CSM's email-approval task. */
const checkTasksOf = (report: Parameters<typeof tasksOf>[0]) => tasksOf(report).filter(([kind]) => kind !== 'email-approval');
const decide = (at: string, extra: Record<string, unknown> = {}) => ({
  at,
  approve: { accountId: ACCOUNT, playbook: 'no-contact', reason: COUNT, decidedBy: 'csm-camille', ...extra },
});

describe('no-contact: the proposal e-mail, auto mode (the default)', () => {
  it('given nothing since a call on 16 November, when day 91 comes, then the outreach task and one no-contact-proposal e-mail to the champion, in French, at 09:00', async () => {
    const report = await run({ start: START, accounts: [parisAccount()], events: [touchpoint(CALL)] });

    expect(report.emails).toEqual([
      { accountId: ACCOUNT, playbook: 'no-contact', to: 'champion@example.com', template: 'no-contact-proposal', language: 'fr', at: OUTREACH, status: 'recorded', subject: 'Prenons un moment pour échanger ?' },
    ]);
    expect(tasksOf(report).map(([kind]) => kind)).toEqual(['no-contact-outreach', 'no-contact-reminder']);
  });

  it('given no champion, sponsor or decision-maker on file, then no e-mail, and the outreach task says so', async () => {
    const account = parisAccount({ contacts: [{ id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' }] });
    const report = await run({ start: START, until: '2027-02-16T00:00:00+01:00', accounts: [account], events: [touchpoint(CALL)] });

    expect(report.emails).toEqual([]);
    expect(tasksOf(report).map(([kind]) => kind)).toEqual(['no-contact-outreach']);
  });

  it('given a call every two months, then never a proposal', async () => {
    const report = await run({
      start: START,
      until: '2027-06-01T00:00:00+02:00',
      accounts: [parisAccount()],
      events: [touchpoint(CALL), touchpoint('2027-01-15T10:00:00+01:00'), touchpoint('2027-03-15T10:00:00+01:00')],
    });
    expect(report.emails).toEqual([]);
  });
});

describe('no-contact: the proposal e-mail, approval mode', () => {
  it('given approval mode, when day 91 comes, then the outreach task and an email-approval task, and nothing sent yet', async () => {
    const report = await run({ start: START, until: '2027-02-15T12:00:00+01:00', config: APPROVAL, accounts: [parisAccount()], events: [touchpoint(CALL)] });

    expect(report.emails).toEqual([]);
    expect(report.tasks.map((t) => [t.kind, t.createdAt]).sort()).toEqual([
      ['email-approval', OUTREACH],
      ['no-contact-outreach', OUTREACH],
    ]);
    expect(report.approvals).toEqual([expect.objectContaining({ playbook: 'no-contact', template: 'no-contact-proposal', reason: COUNT, status: 'pending' })]);
  });

  it('given the CSM approves with their own text that afternoon, then their text goes out then, and the reminder still comes a week after the outreach', async () => {
    const report = await run({
      start: START,
      config: APPROVAL,
      accounts: [parisAccount()],
      events: [touchpoint(CALL), decide('2027-02-15T14:00:00+01:00', { edits: { text: 'Bonjour Alex, un café la semaine prochaine ?' } })],
    });

    expect(report.emails).toEqual([expect.objectContaining({ to: 'champion@example.com', at: '2027-02-15T14:00:00+01:00', subject: 'Prenons un moment pour échanger ?' })]);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'approved', edited: true })]);
    expect(checkTasksOf(report).map(([kind, createdAt]) => [kind, createdAt])).toEqual([
      ['no-contact-outreach', OUTREACH],
      ['no-contact-reminder', '2027-02-22T09:00:00+01:00'],
    ]);
  });

  it('given the champion calls before the CSM approves, when the CSM then approves, then nothing is sent (exit on goal) and no reminder', async () => {
    const report = await run({
      start: START,
      until: '2027-05-01T00:00:00+02:00',
      config: APPROVAL,
      accounts: [parisAccount()],
      events: [touchpoint(CALL), touchpoint('2027-02-16T11:00:00+01:00'), decide('2027-02-16T15:00:00+01:00')],
    });

    expect(report.approvals).toEqual([expect.objectContaining({ status: 'approved' })]);
    expect(report.emails).toEqual([]);
    expect(checkTasksOf(report).map(([kind]) => kind)).toEqual(['no-contact-outreach']);
  });

  it('given the CSM cancels, then nothing is sent, and the reminder comes a week after the outreach', async () => {
    const report = await run({
      start: START,
      until: '2027-03-01T00:00:00+01:00',
      config: APPROVAL,
      accounts: [parisAccount()],
      events: [touchpoint(CALL), decide('2027-02-15T10:00:00+01:00', { decision: 'cancel' })],
    });

    expect(report.emails).toEqual([]);
    expect(checkTasksOf(report).map(([kind, createdAt]) => [kind, createdAt])).toEqual([
      ['no-contact-outreach', OUTREACH],
      ['no-contact-reminder', '2027-02-22T09:00:00+01:00'],
    ]);
    expect(report.executions.filter((e) => e.playbook === 'no-contact').every((e) => e.status === 'SUCCEEDED')).toBe(true);
  });

  it('given nobody decides within the window, then it expires unsent and the check goes on to its reminder', async () => {
    const report = await run({ start: START, until: '2027-03-15T00:00:00+01:00', config: APPROVAL, accounts: [parisAccount()], events: [touchpoint(CALL)] });

    expect(report.emails).toEqual([]);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'expired' })]);
    expect(checkTasksOf(report).map(([kind]) => kind)).toEqual(['no-contact-outreach', 'no-contact-reminder']);
  });
});
