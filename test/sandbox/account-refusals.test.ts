import { describe, expect, it } from 'vitest';
import type { AccountRecord } from '../../functions/contracts/index.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { parisAccount, run, withoutAlertReminder, withoutNoContact, withoutWatchers } from '../support/scenario.ts';

// Issue 13, "bad data refused", end to end on the simulator: CRM updates that reach the bus without the
// ingest's door (a scenario's events are published as they are, as a replay of the archive would be),
// through account-sync's built flow on the real ASL interpreter, then a playbook reading the account.
// Nothing is frozen, nothing erased, and each refused field is one manual follow-up for the CSM.

const MONDAY = '2026-11-16';
const update = (time: string, eventId: string, detail: Record<string, unknown>) => ({ at: `${MONDAY}T${time}:00+01:00`, type: 'AccountUpdated', detail: { eventId, accountId: 'acc-paris', ...detail } });

describe('account-sync refuses what would freeze or erase an account, and applies the rest', () => {
  it('given an owner change stamped 2999, a wrong country twice beside valid fields, and an empty contact list, then the next owner wins, the valid fields apply, the contacts stay, and the CSM gets one follow-up per refused field', async () => {
    let stored: AccountRecord | undefined;
    const scenario = parseScenario({
      start: `${MONDAY}T08:00:00+01:00`,
      accounts: [parisAccount()],
      events: [
        update('09:00', 'evt-crm-2999', { csmId: 'csm-yanis', updatedAt: '2999-01-01T00:00:00Z' }),
        update('09:05', 'evt-crm-zz', { country: 'ZZ', mrr: 1500, segment: 'premium' }),
        // The CRM's next sync of the same wrong value: no second task.
        update('09:10', 'evt-crm-zz-again', { country: 'ZZ', mrr: 1500, segment: 'premium' }),
        update('09:15', 'evt-crm-no-contacts', { contacts: [] }),
        update('09:20', 'evt-crm-owner', { csmId: 'csm-lea', updatedAt: `${MONDAY}T09:20:00+01:00` }),
        { at: `${MONDAY}T10:00:00+01:00`, type: 'NpsResponseReceived', detail: { eventId: 'evt-nps', accountId: 'acc-paris', contactId: 'ct-champion', score: 7, respondedAt: `${MONDAY}T10:00:00+01:00` } },
      ],
    });

    const report = withoutAlertReminder(withoutNoContact(await simulate(scenario, { inspect: async (sandbox) => void (stored = await sandbox.ledger.getAccount('acc-paris')) })));

    expect(withoutWatchers(report).executions.map((execution) => [execution.playbook, execution.status])).toEqual([
      ...Array.from({ length: 5 }, () => ['account-sync', 'SUCCEEDED']),
      ['nps-response', 'SUCCEEDED'],
    ]);
    expect(stored).toEqual(parisAccount({ csmId: 'csm-lea', mrr: 1500, segment: 'premium' }));
    expect(report.tasks.map((task) => [task.kind, task.owner, task.details?.split(' was refused')[0]])).toEqual([
      ['manual-follow-up', 'csm-yanis', "The CRM's update of country"],
      ['manual-follow-up', 'csm-yanis', "The CRM's update of contacts"],
      ['nps-follow-up-call', 'csm-lea', undefined],
    ]);
  });

  it('given HubSpot’s company property holding a formatted amount (the ingest sends it as crmRefused), then the account keeps its MRR and the CSM gets one follow-up naming the field, not one per sync', async () => {
    const refused = { crmRefused: [{ field: 'mrr', problem: "HubSpot's company property cs_mrr is not an amount: digits, and a dot before decimals" }] };
    const report = withoutAlertReminder(
      withoutNoContact(
        await run({
          start: `${MONDAY}T08:00:00+01:00`,
          accounts: [parisAccount()],
          events: [update('09:00', 'hubspot:1', { ...refused, updatedAt: `${MONDAY}T09:00:00+01:00` }), update('10:00', 'hubspot:2', { ...refused, updatedAt: `${MONDAY}T10:00:00+01:00` })],
        }),
      ),
    );
    expect(withoutWatchers(report).executions.map((execution) => [execution.playbook, execution.status])).toEqual([
      ['account-sync', 'SUCCEEDED'],
      ['account-sync', 'SUCCEEDED'],
    ]);
    expect(report.tasks.map((task) => [task.kind, task.owner, task.details?.split(' was refused')[0]])).toEqual([['manual-follow-up', 'csm-camille', "The CRM's update of mrr"]]);
    expect(report.tasks[0]!.details).toContain('cs_mrr is not an amount');
  });

  it('given an update that removes the contacts explicitly (removeAllContacts: true), then the account has none, and nobody is asked to fix anything', async () => {
    let stored: AccountRecord | undefined;
    const scenario = parseScenario({
      start: `${MONDAY}T08:00:00+01:00`,
      accounts: [parisAccount()],
      events: [update('09:00', 'evt-crm-removed', { contacts: [], removeAllContacts: true })],
    });

    const report = withoutNoContact(await simulate(scenario, { inspect: async (sandbox) => void (stored = await sandbox.ledger.getAccount('acc-paris')) }));

    expect(withoutWatchers(report).executions.map((execution) => execution.status)).toEqual(['SUCCEEDED']);
    expect(stored?.contacts).toEqual([]);
    expect(report.tasks).toEqual([]);
  });

  it('given an account the ledger does not know whose update brings a refused country, then its other fields are kept pending and the execution fails visibly for ops: there is no CSM to tell', async () => {
    const { id: _id, country: _country, ...record } = parisAccount();
    const scenario = parseScenario({ start: `${MONDAY}T08:00:00+01:00`, accounts: [], events: [update('09:00', 'evt-crm-new-zz', { ...record, country: 'ZZ' })] });

    const report = withoutNoContact(await simulate(scenario));

    expect(withoutWatchers(report).executions).toEqual([expect.objectContaining({ playbook: 'account-sync', status: 'FAILED', error: 'AccountFieldsRefused' })]);
    expect(report.pendingAccounts).toEqual([expect.objectContaining({ accountId: 'acc-paris', missing: ['country'] })]);
    expect(report.tasks).toEqual([]);
  });

  it("given a scenario's account in a country the stage's calendar does not know, then the run stops, naming the account and the field", async () => {
    await expect(run({ start: `${MONDAY}T08:00:00+01:00`, accounts: [parisAccount({ country: 'JP', timezone: 'Asia/Tokyo' })], events: [] })).rejects.toThrow(
      /^account acc-paris is invalid: country: not a country whose public holidays the stage knows/,
    );
  });
});
