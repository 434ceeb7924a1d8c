import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/table.ts';
import { DetailSchemas } from '../../functions/contracts/index.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { upsertAccount } from '../../functions/accounts/upsert-account.ts';
import { accountUpdated, depsAt, FRIDAY_MORNING, givenAnAccount, ledger, newAccountId, salonHorizon, useLocalLedger } from '../support/ledger-fixture.ts';

// account-sync's function for the lifecycle facts (docs/playbooks.md: ContractSigned sets signedAt, the
// welcome call and the quote; BillingStarted sets billingStartedAt), for accounts the ledger knows
// only in part (pending), and when the ledger first learned of an account (firstSeenAt).

useLocalLedger('cs-playbooks-upsert-account-lifecycle-test');

const SIGNED = '2026-11-02T15:00:00+01:00';
const WELCOME_CALL = '2026-11-05T10:00:00+01:00';
const BILLING = '2026-11-09T00:00:00+01:00';
const MONDAY_MORNING = new Date('2026-11-16T10:00:00+01:00');

const contractSigned = (accountId: string, eventId: string, detail: Record<string, unknown> = {}) => ({
  detailType: 'ContractSigned',
  time: '2026-11-02T14:00:01Z',
  detail: DetailSchemas.ContractSigned.parse({ eventId, accountId, quoteId: 'quote-2026-118', signedAt: SIGNED, welcomeCallAt: WELCOME_CALL, ...detail }),
});
const billingStarted = (accountId: string, eventId: string, at = BILLING) => ({
  detailType: 'BillingStarted',
  time: '2026-11-08T23:00:01Z',
  detail: DetailSchemas.BillingStarted.parse({ eventId, accountId, at }),
});

describe('upsert-account: the lifecycle facts set the account record', () => {
  it('given a known account, when its contract is signed, then signedAt, the quote and the welcome call are on the record, and nothing else changed', async () => {
    const account = await givenAnAccount('signed');

    const result = await invoke(upsertAccount, depsAt(MONDAY_MORNING), contractSigned(account.id, 'evt-contract-1'));

    expect(result).toEqual({ accountId: account.id, status: 'complete' });
    expect(await ledger.getAccount(account.id)).toEqual({ ...account, signedAt: SIGNED, quoteId: 'quote-2026-118', welcomeCallAt: WELCOME_CALL });
  });

  it('given a known account, when billing starts, then billingStartedAt is on the record', async () => {
    const account = await givenAnAccount('billing');

    await invoke(upsertAccount, depsAt(MONDAY_MORNING), billingStarted(account.id, 'evt-billing-1'));

    expect((await ledger.getAccount(account.id))?.billingStartedAt).toBe(BILLING);
  });

  it('given a welcome call moved by the CRM after the signature, when the contract is delivered again, then the newer welcome call is kept (the fact is as of its signature)', async () => {
    const account = await givenAnAccount('moved-call');
    await invoke(upsertAccount, depsAt(MONDAY_MORNING), contractSigned(account.id, 'evt-contract-2'));
    await invoke(upsertAccount, depsAt(MONDAY_MORNING), accountUpdated(account.id, 'evt-crm-call', { welcomeCallAt: '2026-11-06T14:00:00+01:00' }, '2026-11-04T09:00:00Z'));

    await invoke(upsertAccount, depsAt(MONDAY_MORNING), contractSigned(account.id, 'evt-contract-2'));

    expect(await ledger.getAccount(account.id)).toMatchObject({ signedAt: SIGNED, welcomeCallAt: '2026-11-06T14:00:00+01:00' });
  });

  it('given billing recorded as starting on the 9th, when an older BillingStarted arrives late, then the newer start is kept', async () => {
    const account = await givenAnAccount('late-billing');
    await invoke(upsertAccount, depsAt(MONDAY_MORNING), billingStarted(account.id, 'evt-billing-new', BILLING));

    await invoke(upsertAccount, depsAt(MONDAY_MORNING), billingStarted(account.id, 'evt-billing-old', '2026-10-01T00:00:00+02:00'));

    expect((await ledger.getAccount(account.id))?.billingStartedAt).toBe(BILLING);
  });
});

describe('upsert-account: an account the ledger knows only in part is pending, not an alarm', () => {
  it('given an account the ledger does not know, when its contract is signed, then the fact is kept as a pending account, the answer names what is missing, and no playbook sees an account', async () => {
    const accountId = newAccountId('signed-unknown');

    const result = await invoke(upsertAccount, depsAt(FRIDAY_MORNING), contractSigned(accountId, 'evt-contract-3'));

    expect(result).toEqual({ accountId, status: 'pending', missing: ['contacts', 'country', 'csmId', 'language', 'mrr', 'name', 'timezone'] });
    expect(await ledger.getAccount(accountId)).toBeUndefined();
    expect(await ledger.readAccountState(accountId)).toMatchObject({
      pending: true,
      record: { signedAt: SIGNED, quoteId: 'quote-2026-118', welcomeCallAt: WELCOME_CALL },
      fieldTimes: { signedAt: SIGNED, quoteId: SIGNED, welcomeCallAt: SIGNED },
    });
  });

  it('given a pending account renamed by the CRM on the 12th, when the import of the 10th arrives with the whole record, then the account is complete, keeps the newer name and the contract, and playbooks see it', async () => {
    const account = salonHorizon(newAccountId('pending-then-import'));
    const { id, ...record } = account;
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), contractSigned(id, 'evt-contract-4'));
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(id, 'evt-crm-rename', { name: 'Salon Horizon & Co' }, '2026-11-12T09:00:00Z'));

    const result = await invoke(upsertAccount, depsAt(MONDAY_MORNING), accountUpdated(id, 'evt-import', record, '2026-11-10T09:00:00Z'));

    expect(result).toEqual({ accountId: id, status: 'complete' });
    expect(await ledger.getAccount(id)).toEqual({ ...account, name: 'Salon Horizon & Co', signedAt: SIGNED, quoteId: 'quote-2026-118', welcomeCallAt: WELCOME_CALL });
    expect((await ledger.readAccountState(id)).pending).toBe(false);
    expect((await ledger.pendingAccounts()).map((pending) => pending.accountId)).not.toContain(id);
  });

  it('given two pending accounts and a complete one, then the ledger lists the pending ones by field names, with what is missing and since when', async () => {
    const first = newAccountId('listed-a');
    const second = newAccountId('listed-b');
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(first, 'evt-crm-a', { name: 'Institut Aurore', timezone: 'Europe/Paris' }));
    await invoke(upsertAccount, depsAt(MONDAY_MORNING), billingStarted(second, 'evt-billing-b'));
    await givenAnAccount('listed-complete');

    const pending = (await ledger.pendingAccounts()).filter((row) => [first, second].includes(row.accountId));

    expect(pending.sort((a, b) => a.accountId.localeCompare(b.accountId))).toEqual([
      { accountId: first, fields: ['name', 'timezone'], missing: ['contacts', 'country', 'csmId', 'language', 'mrr'], firstSeenAt: FRIDAY_MORNING.toISOString(), timezone: 'Europe/Paris' },
      { accountId: second, fields: ['billingStartedAt'], missing: ['contacts', 'country', 'csmId', 'language', 'mrr', 'name', 'timezone'], firstSeenAt: MONDAY_MORNING.toISOString(), timezone: undefined },
    ]);
  });
});

describe('the account state: when the ledger first learned of the account (firstSeenAt)', () => {
  it('given an account first written on Friday, when it is rewritten on Monday, then firstSeenAt stays Friday, for readAccountState and getAccountWithFirstSeen alike', async () => {
    const account = salonHorizon(newAccountId('first-seen'));
    const { id, ...record } = account;
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), accountUpdated(id, 'evt-first', record));

    await invoke(upsertAccount, depsAt(MONDAY_MORNING), accountUpdated(id, 'evt-later', { mrr: 1500 }, '2026-11-16T09:00:00Z'));

    expect((await ledger.readAccountState(id)).firstSeenAt).toBe(FRIDAY_MORNING.toISOString());
    expect(await ledger.getAccountWithFirstSeen(id)).toEqual({ account: { ...account, mrr: 1500 }, firstSeenAt: FRIDAY_MORNING.toISOString() });
  });

  it('given an account first seen pending on Friday, when it becomes complete on Monday, then it was first seen on Friday', async () => {
    const account = salonHorizon(newAccountId('first-seen-pending'));
    const { id, ...record } = account;
    await invoke(upsertAccount, depsAt(FRIDAY_MORNING), billingStarted(id, 'evt-billing-first'));

    await invoke(upsertAccount, depsAt(MONDAY_MORNING), accountUpdated(id, 'evt-complete', record));

    expect(await ledger.getAccountWithFirstSeen(id)).toMatchObject({ firstSeenAt: FRIDAY_MORNING.toISOString() });
  });

  it('given an account stored before firstSeenAt was recorded, when it is rewritten, then firstSeenAt stays absent (never the day of the rewrite)', async () => {
    const account = salonHorizon(newAccountId('legacy'));
    // The item as the ledger wrote it before: no firstSeenAt.
    await ledger.putOnce(keys.account(account.id), 'account', { account, fieldTimes: {}, version: 1 });

    await invoke(upsertAccount, depsAt(MONDAY_MORNING), accountUpdated(account.id, 'evt-legacy', { mrr: 1300 }));

    expect(await ledger.readAccountState(account.id)).toMatchObject({ version: 2, pending: false, record: { mrr: 1300 } });
    expect((await ledger.readAccountState(account.id)).firstSeenAt).toBeUndefined();
    expect(await ledger.getAccountWithFirstSeen(account.id)).toEqual({ account: { ...account, mrr: 1300 }, firstSeenAt: undefined });
  });
});
