import { describe, expect, it } from 'vitest';
import { AccountRecord, DetailSchemas, describeIssues, MAX_ARR, MAX_MRR, StoredAccountRecord } from '../../functions/contracts/index.ts';
import { aParisAccount } from '../support/records.ts';

// The account record's contract (functions/contracts/account.ts): what an update may set. Empty text is
// no value, amounts are bounded, and the CRM says explicitly when an account has no contacts any more.

const problems = (schema: typeof AccountRecord | typeof DetailSchemas.AccountUpdated, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : describeIssues(parsed.error);
};
const account = aParisAccount();
const update = (fields: Record<string, unknown>) => ({ eventId: 'evt-1', accountId: 'acc-1', ...fields });

describe('text of the account record is never empty or blank', () => {
  it.each([
    ['teamLeadId', ''],
    ['name', '  '],
    ['csmId', ''],
    ['segment', '\t'],
  ])('given %s %j, then it is refused, naming the field and never the value', (field, value) => {
    expect(problems(AccountRecord, { ...account, [field]: value })).toEqual([`${field}: empty or blank, which is no value: leave the field out to keep the one held`]);
  });

  it('given a contact whose name is blank, then it is refused, naming the contact', () => {
    expect(problems(AccountRecord, { ...account, contacts: [{ ...account.contacts[0], name: ' ' }] })).toEqual(['contacts[0].name: empty or blank, which is no value: leave the field out to keep the one held']);
  });
});

describe('amounts are bounded: non-negative, finite, within what any account pays', () => {
  it.each([
    ['mrr', 1e200, `mrr: Too big: expected number to be <=${MAX_MRR}`],
    ['mrr', -1, 'mrr: Too small: expected number to be >=0'],
    ['mrr', Number.POSITIVE_INFINITY, 'mrr: Invalid input: expected number, received Infinity'],
    ['mrr', 1e-200, 'mrr: less than a cent: not an amount'],
    ['arr', MAX_ARR + 1, `arr: Too big: expected number to be <=${MAX_ARR}`],
  ])('given %s %s, then it is refused', (field, value, problem) => {
    expect(problems(AccountRecord, { ...account, [field]: value })).toEqual([problem]);
  });

  it('given the largest MRR and ARR, or none at all, then they are amounts', () => {
    expect(problems(AccountRecord, { ...account, mrr: MAX_MRR, arr: MAX_ARR })).toEqual([]);
    expect(problems(AccountRecord, { ...account, mrr: 0, arr: 0.01 })).toEqual([]);
  });
});

describe('AccountUpdated: an empty contact list removes the contacts only when the update says so', () => {
  it('given contacts: [] with removeAllContacts: true, then the update is valid', () => {
    expect(problems(DetailSchemas.AccountUpdated, update({ contacts: [], removeAllContacts: true }))).toEqual([]);
  });

  it('given removeAllContacts: true beside contacts, or alone, then it is refused, naming the flag', () => {
    const alone = 'removeAllContacts: goes with contacts: [] only (it confirms that the empty list removes every contact)';
    expect(problems(DetailSchemas.AccountUpdated, update({ contacts: account.contacts, removeAllContacts: true }))).toEqual([alone]);
    expect(problems(DetailSchemas.AccountUpdated, update({ removeAllContacts: true }))).toEqual([alone]);
  });

  it('given removeAllContacts: false, then it is refused: the flag only ever says true', () => {
    expect(problems(DetailSchemas.AccountUpdated, update({ contacts: [], removeAllContacts: false }))).toEqual(['removeAllContacts: Invalid input: expected true']);
  });
});

describe('a record the ledger holds from before these rules is still read', () => {
  it('given a stored account with an empty team lead and an MRR beyond the bound, then it reads as stored', () => {
    const stored = { ...account, teamLeadId: '', mrr: MAX_MRR * 10 };
    expect(StoredAccountRecord.parse(stored)).toEqual(stored);
    expect(AccountRecord.safeParse(stored).success).toBe(false);
  });
});
