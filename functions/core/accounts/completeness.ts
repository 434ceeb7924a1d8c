import { parseContract, StoredAccountFields, StoredAccountRecord, type AccountRecord } from '../../contracts/index.ts';

/**
 * Whether the fields the ledger holds for an account make a record the playbooks may read:
 * `complete` with the record, or `pending` with the required fields still missing.
 */
export type AccountCompleteness = { status: 'complete'; account: AccountRecord } | { status: 'pending'; missing: string[] };

/**
 * A record lacking required fields is pending, not wrong: the CRM sends what changed (HubSpot a
 * company's name, country, time zone), a contract or the first invoice may come before the import,
 * and the rest arrives later. A value that is there but invalid is wrong, whatever else is missing:
 * a ContractError naming it. The fields are read as the ledger may hold them (`StoredAccountRecord`:
 * an empty `teamLeadId` written before the rules does not make the account unwritable); what an update
 * brings was checked against the record's contract before (./sieve-update.ts).
 */
export function accountCompleteness(accountId: string, fields: Readonly<Record<string, unknown>>): AccountCompleteness {
  const parsed = StoredAccountRecord.safeParse({ ...fields, id: accountId });
  if (parsed.success) return { status: 'complete', account: parsed.data };
  // The same record with every field optional: what it refuses is a value that is there and wrong.
  parseContract(StoredAccountFields, fields, `account ${accountId}`);
  return { status: 'pending', missing: [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))].sort() };
}
