import { describe, expect, it } from 'vitest';
import { parisAccount, run, withoutNoContact, withoutAlertReminder } from '../support/scenario.ts';

const MONDAY = '2026-11-16';
const update = (at: string, detail: Record<string, unknown>) => ({ at, type: 'AccountUpdated', detail: { eventId: `evt-crm-${at}`, ...detail } });

describe('account-sync', () => {
  it('given a known account, when the CRM changes its CSM, then later tasks go to the new CSM', async () => {
    const report = withoutNoContact(
      await run({
        start: `${MONDAY}T08:00:00+01:00`,
        accounts: [parisAccount()],
        events: [
          update(`${MONDAY}T09:00:00+01:00`, { accountId: 'acc-paris', csmId: 'csm-yanis' }),
          { at: `${MONDAY}T10:00:00+01:00`, type: 'NpsResponseReceived', detail: { eventId: 'evt-nps-sync', accountId: 'acc-paris', contactId: 'ct-champion', score: 7, respondedAt: `${MONDAY}T10:00:00+01:00` } },
        ],
      }),
    );
    expect(withoutAlertReminder(report).executions.map((e) => [e.playbook, e.status])).toEqual([
      ['account-sync', 'SUCCEEDED'],
      ['nps-response', 'SUCCEEDED'],
    ]);
    expect(report.tasks.map((t) => t.owner)).toEqual(['csm-yanis']);
  });

  it('given an account the ledger does not know, when a partial update arrives, then the execution fails visibly (no owner to give a task to) and nothing is stored', async () => {
    const report = withoutNoContact(
      await run({
        start: `${MONDAY}T08:00:00+01:00`,
        accounts: [],
        events: [update(`${MONDAY}T09:00:00+01:00`, { accountId: 'acc-new', mrr: 100 })],
      }),
    );
    expect(report.executions).toEqual([expect.objectContaining({ playbook: 'account-sync', status: 'FAILED', error: 'ManualFollowUpFailed' })]);
  });

  it('given a known account, when the CRM moves it to a country whose holidays the stage does not know, then its CSM gets a manual follow-up and the execution fails visibly', async () => {
    const report = withoutNoContact(
      await run({
        start: `${MONDAY}T08:00:00+01:00`,
        accounts: [parisAccount()],
        // Japan is a valid country, but the stage's calendar does not know its holidays.
        events: [update(`${MONDAY}T09:00:00+01:00`, { accountId: 'acc-paris', country: 'JP', timezone: 'Asia/Tokyo' })],
      }),
    );
    expect(report.executions).toEqual([expect.objectContaining({ playbook: 'account-sync', status: 'FAILED', error: 'AutomationFailed' })]);
    expect(report.tasks).toEqual([expect.objectContaining({ kind: 'manual-follow-up', playbook: 'account-sync', owner: 'csm-camille' })]);
  });
});
