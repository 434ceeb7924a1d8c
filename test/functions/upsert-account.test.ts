import { describe, expect, it } from 'vitest';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { upsertAccount } from '../../functions/accounts/upsert-account.ts';
import {
  accountUpdated,
  depsAt,
  FRIDAY_MORNING,
  givenAnAccount,
  ledger,
  newAccountId,
  salonHorizon,
  useLocalLedger,
} from '../support/ledger-fixture.ts';

useLocalLedger('cs-playbooks-upsert-account-test');

describe('upsert-account: the CRM sync keeps the account record every playbook reads', () => {
  it('given no account yet, when a complete AccountUpdated arrives, then the account is created as sent', async () => {
    const account = salonHorizon(newAccountId('create'));
    const { id, ...record } = account;

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(id, 'evt-crm-1', record));

    expect(result).toEqual({ accountId: id, status: 'complete' });
    expect(await ledger.getAccount(id)).toEqual(account);
  });

  it('given an existing account, when a later AccountUpdated changes only the MRR, then the MRR changes and every other field is kept', async () => {
    const account = await givenAnAccount('patch');

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-2', { mrr: 2500 }));

    expect(await ledger.getAccount(account.id)).toEqual({ ...account, mrr: 2500 });
  });

  it('given an existing account, when two partial patches arrive one after the other, then both changes are kept', async () => {
    const account = await givenAnAccount('two-patches');

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-3', { mrr: 2500 }));
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-4', { salesId: 'sales-yanis' }));

    expect(await ledger.getAccount(account.id)).toEqual({ ...account, mrr: 2500, salesId: 'sales-yanis' });
  });

  // Invariant 2: vendors retry and deliver out of order. A redelivered (older) update must not undo a newer one.
  it('given an update applied, then a newer one, when the first update is delivered again, then the newer value is kept', async () => {
    const account = await givenAnAccount('redelivered-patch');
    const olderUpdate = accountUpdated(account.id, 'evt-crm-older', { mrr: 2500 }, '2026-11-13T09:00:00Z');

    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), olderUpdate);
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(account.id, 'evt-crm-newer', { mrr: 3000 }, '2026-11-13T09:05:00Z'));
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), olderUpdate);

    expect((await ledger.getAccount(account.id))?.mrr).toBe(3000);
  });

  it('given no account yet, when the first AccountUpdated is a partial patch, then its fields are kept as a pending account, the answer names the missing fields, and no playbook sees an account', async () => {
    const accountId = newAccountId('incomplete');

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(accountId, 'evt-crm-5', { mrr: 900 }));

    expect(result).toEqual({ accountId, status: 'pending', missing: ['contacts', 'country', 'csmId', 'language', 'name', 'timezone'] });
    expect(await ledger.getAccount(accountId)).toBeUndefined();
    expect(await ledger.readAccountState(accountId)).toMatchObject({ pending: true, record: { mrr: 900 }, fieldTimes: { mrr: '2026-11-13T09:00:00Z' } });
  });
});
