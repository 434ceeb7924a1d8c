import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { parisAccount, run, withoutNoContact, withoutAlertReminder, withoutWatchers } from '../support/scenario.ts';

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
    expect(withoutAlertReminder(withoutWatchers(report)).executions.map((e) => [e.playbook, e.status])).toEqual([
      ['account-sync', 'SUCCEEDED'],
      ['nps-response', 'SUCCEEDED'],
    ]);
    expect(report.tasks.map((t) => t.owner)).toEqual(['csm-yanis']);
  });

  it('given an account the ledger does not know, when a partial update arrives, then the execution succeeds saying the account is pending and what is missing, no task is created, and the report lists it', async () => {
    let outputs: unknown[] = [];
    const report = withoutNoContact(
      await simulate(parseScenario({ start: `${MONDAY}T08:00:00+01:00`, accounts: [], events: [update(`${MONDAY}T09:00:00+01:00`, { accountId: 'acc-new', mrr: 100 })] }), {
        inspect: (sandbox) => void (outputs = sandbox.executions.filter((e) => e.playbook === 'account-sync').map((e) => e.output)),
      }),
    );
    expect(withoutWatchers(report).executions).toEqual([expect.objectContaining({ playbook: 'account-sync', status: 'SUCCEEDED', transitions: 3 })]);
    expect(outputs).toEqual([{ accountId: 'acc-new', status: 'pending', missing: ['contacts', 'country', 'csmId', 'language', 'name', 'timezone'] }]);
    expect(report.tasks).toEqual([]);
    expect(report.pendingAccounts).toEqual([{ accountId: 'acc-new', fields: ['mrr'], missing: ['contacts', 'country', 'csmId', 'language', 'name', 'timezone'], since: '2026-11-16T08:00:00+00:00' }]);
  });

  it('given a pending account, when the CRM sends the rest of the record, then the account is complete with the pending fields merged, and later tasks go to its CSM', async () => {
    const { id, ...record } = parisAccount({ id: 'acc-new', mrr: 900 });
    let stored: unknown;
    const scenario = parseScenario({
      start: `${MONDAY}T08:00:00+01:00`,
      accounts: [],
      events: [
        update(`${MONDAY}T09:00:00+01:00`, { accountId: id, mrr: 1200 }),
        // The CRM's full record as read at 08:30: its MRR is older than the update of 09:00.
        update(`${MONDAY}T09:30:00+01:00`, { accountId: id, ...record, updatedAt: `${MONDAY}T08:30:00+01:00` }),
        { at: `${MONDAY}T10:00:00+01:00`, type: 'NpsResponseReceived', detail: { eventId: 'evt-nps-pending', accountId: id, contactId: 'ct-champion', score: 7, respondedAt: `${MONDAY}T10:00:00+01:00` } },
      ],
    });
    const report = withoutNoContact(await simulate(scenario, { inspect: async (sandbox) => void (stored = await sandbox.ledger.getAccount(id)) }));

    expect(stored).toEqual({ id, ...record, mrr: 1200 });
    expect(withoutAlertReminder(withoutWatchers(report)).executions.map((e) => [e.playbook, e.status])).toEqual([
      ['account-sync', 'SUCCEEDED'],
      ['account-sync', 'SUCCEEDED'],
      ['nps-response', 'SUCCEEDED'],
    ]);
    expect(report.pendingAccounts).toEqual([]);
    expect(report.tasks.map((t) => [t.kind, t.owner])).toEqual([['nps-follow-up-call', 'csm-camille']]);
  });

  it('given a known account, when the CRM moves it to a country whose holidays the stage does not know, then the country is refused and the time zone applied, and its CSM gets a manual follow-up naming country', async () => {
    let outputs: unknown[] = [];
    let stored: unknown;
    const report = withoutNoContact(
      await simulate(
        parseScenario({
          start: `${MONDAY}T08:00:00+01:00`,
          accounts: [parisAccount()],
          // Japan is a valid country, but the stage's calendar does not know its holidays.
          events: [update(`${MONDAY}T09:00:00+01:00`, { accountId: 'acc-paris', country: 'JP', timezone: 'Asia/Tokyo' })],
        }),
        {
          inspect: async (sandbox) => {
            outputs = sandbox.executions.filter((e) => e.playbook === 'account-sync').map((e) => e.output);
            stored = await sandbox.ledger.getAccount('acc-paris');
          },
        },
      ),
    );
    expect(withoutWatchers(report).executions).toEqual([expect.objectContaining({ playbook: 'account-sync', status: 'SUCCEEDED' })]);
    expect(outputs).toEqual([{ accountId: 'acc-paris', status: 'complete', refused: [expect.objectContaining({ field: 'country' })] }]);
    expect(stored).toMatchObject({ country: 'FR', timezone: 'Asia/Tokyo' });
    expect(report.tasks).toEqual([expect.objectContaining({ kind: 'manual-follow-up', playbook: 'account-sync', owner: 'csm-camille', details: expect.stringContaining('settings.calendar.countries') })]);
  });
});
