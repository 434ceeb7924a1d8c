import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/table.ts';
import type { Task } from '../../functions/core/tasks/task.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { upsertAccount, type UpsertAccountResult } from '../../functions/accounts/upsert-account.ts';
import { createTask } from '../../functions/tasks/create-task.ts';
import { depsAt, FRIDAY_MORNING, givenAnAccount, ledger, newAccountId, salonHorizon, useLocalLedger } from '../support/ledger-fixture.ts';

// Issue 13, "bad data refused", at account-sync's function on a real DynamoDB API (dynalite): an update
// as it reaches the bus, whatever the door let through (a replay of the archive, a rehearsal's scenario),
// can neither freeze nor erase the account. Its valid fields apply; each refused one comes back with the
// CSM's follow-up, which account-sync's flow files as a manual-follow-up task (create-task, as here).

useLocalLedger('cs-playbooks-upsert-account-refusals-test');

/** An AccountUpdated as it is on the bus, not parsed through the contract: what the door would have refused is in it. */
const onTheBus = (accountId: string, eventId: string, fields: Record<string, unknown>, time = '2026-11-13T09:00:00Z') => ({
  time,
  detail: { eventId, accountId, ...fields },
});

/** What account-sync's ReportRefusedFields state does for each refused field. */
const fileFollowUps = (accountId: string, result: UpsertAccountResult, now = FRIDAY_MORNING) =>
  Promise.all(
    (result.refused ?? []).map((refusal) =>
      invoke(createTask, depsAt(now), { accountId, playbook: 'account-sync', kind: 'manual-follow-up', ownerRole: 'csm', reason: refusal.reason, due: { rule: 'today' }, details: refusal.details }),
    ),
  );
const tasksOf = async (accountId: string) => (await ledger.scan<Task>('task')).filter((task) => task.accountId === accountId);

describe('upsert-account: an update stamped in the future cannot freeze the account', () => {
  it('given an owner change stamped 2999, then it applies as of its arrival, and the owner change after it wins', async () => {
    const account = await givenAnAccount('year-2999');

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-2999', { csmId: 'csm-yanis', updatedAt: '2999-01-01T00:00:00Z' }));
    expect((await ledger.readAccountState(account.id)).fieldTimes.csmId).toBe('2026-11-13T09:00:00.000Z');

    const later = new Date('2026-11-13T11:00:00+01:00');
    await invoke(upsertAccount, depsAt(later), onTheBus(account.id, 'evt-after', { csmId: 'csm-lea', updatedAt: '2026-11-13T09:30:00Z' }, '2026-11-13T09:30:01Z'));

    expect((await ledger.getAccount(account.id))?.csmId).toBe('csm-lea');
  });

  it('given an account frozen by a 2999 stamp stored before this rule, then the next update thaws it', async () => {
    const account = salonHorizon(newAccountId('frozen'));
    const { id: _id, ...fields } = account;
    const fieldTimes = Object.fromEntries(Object.keys(fields).map((field) => [field, field === 'csmId' ? '2999-01-01T00:00:00Z' : '2026-11-01T09:00:00Z']));
    await ledger.putOnce(keys.account(account.id), 'account', { account, fieldTimes, version: 1 });

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-thaw', { csmId: 'csm-lea' }));

    expect((await ledger.getAccount(account.id))?.csmId).toBe('csm-lea');
  });
});

describe('upsert-account: an empty contact list erases nothing unless the update says so', () => {
  it('given contacts: [] alone, then the contacts are kept and contacts is refused', async () => {
    const account = await givenAnAccount('contacts-empty');

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-no-contacts', { contacts: [] }));

    expect(result.refused?.map((refusal) => refusal.field)).toEqual(['contacts']);
    expect((await ledger.getAccount(account.id))?.contacts).toEqual(account.contacts);
  });

  it('given contacts: [] with removeAllContacts: true, then the account has no contacts any more, and nothing is refused', async () => {
    const account = await givenAnAccount('contacts-removed');

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-removed', { contacts: [], removeAllContacts: true }));

    expect(result).toEqual({ accountId: account.id, status: 'complete' });
    expect(await ledger.getAccount(account.id)).toEqual({ ...account, contacts: [] });
  });
});

describe('upsert-account: a value the record cannot take is refused, the rest applies', () => {
  it('given an empty team lead, then the team lead is kept and teamLeadId is refused', async () => {
    const account = await givenAnAccount('empty-lead');

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-empty-lead', { teamLeadId: '', salesId: 'sales-yanis' }));

    expect(result.refused?.map((refusal) => refusal.field)).toEqual(['teamLeadId']);
    expect(await ledger.getAccount(account.id)).toEqual({ ...account, salesId: 'sales-yanis' });
  });

  it('given an MRR of 1e200, then the write does not fail (DynamoDB would refuse it): mrr is refused and the MRR kept', async () => {
    const account = await givenAnAccount('huge-mrr');

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-huge', { mrr: 1e200, arr: 18_000 }));

    expect(result.refused?.map((refusal) => refusal.field)).toEqual(['mrr']);
    expect(await ledger.getAccount(account.id)).toEqual({ ...account, arr: 18_000 });
  });

  it('given an unknown time zone, then timezone is refused naming it, and the record is unchanged', async () => {
    const account = await givenAnAccount('bad-zone');

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-crm-6', { timezone: 'Europe/Atlantis' }));

    expect(result.refused).toEqual([expect.objectContaining({ field: 'timezone', details: expect.stringContaining('expected an IANA time zone') })]);
    expect(await ledger.getAccount(account.id)).toEqual(account);
  });

  it('given a country the stage does not schedule in next to valid fields, then the valid ones apply, and the CSM gets one manual follow-up naming country, however often the update comes', async () => {
    const account = await givenAnAccount('country-zz');
    const badCountry = onTheBus(account.id, 'evt-zz', { country: 'ZZ', mrr: 1500, segment: 'premium' });

    const first = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), badCountry);
    await fileFollowUps(account.id, first);
    const again = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), { ...badCountry, detail: { ...badCountry.detail, eventId: 'evt-zz-again' } });
    const [second] = await fileFollowUps(account.id, again);

    expect(await ledger.getAccount(account.id)).toEqual({ ...account, mrr: 1500, segment: 'premium' });
    expect(second?.created).toBe(false);
    const tasks = await tasksOf(account.id);
    expect(tasks.map((task) => [task.kind, task.owner])).toEqual([['manual-follow-up', account.csmId]]);
    expect(tasks[0]!.details).toMatch(/^The CRM's update of country was refused \(not a country whose public holidays the stage knows/);
  });

  it('given an account stored with an empty team lead before these rules, then it is still read, and an update of another field applies', async () => {
    const account = { ...salonHorizon(newAccountId('legacy-empty-lead')), teamLeadId: '' };
    await ledger.putOnce(keys.account(account.id), 'account', { account, fieldTimes: {}, version: 1 });

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(account.id, 'evt-legacy', { mrr: 1300 }));

    expect(result).toEqual({ accountId: account.id, status: 'complete' });
    expect(await ledger.getAccount(account.id)).toEqual({ ...account, mrr: 1300 });
  });

  it('given a new account whose only country is refused, then it stays pending, missing country, and the refusal is in the answer', async () => {
    const { id, country: _country, ...record } = salonHorizon(newAccountId('new-zz'));

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), onTheBus(id, 'evt-new-zz', { ...record, country: 'ZZ' }));

    expect(result).toMatchObject({ accountId: id, status: 'pending', missing: ['country'], refused: [{ field: 'country' }] });
  });
});
