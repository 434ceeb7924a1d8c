import type { Logger } from '@aws-lambda-powertools/logger';
import type { Ledger } from '../adapters/ledger.ts';
import { AccountRecord, DetailSchemas, parseContract, type AccountPatch } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { mergeAccountUpdate } from '../core/accounts/merge-update.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Apply a CRM `AccountUpdated` (at the event's time) to the account record every playbook reads. */
export const upsertAccount = definePlaybookFunction({
  id: 'upsert-account',
  input: z.object({ time: isoInstant(), detail: DetailSchemas.AccountUpdated }),
  async run({ time, detail }, { ledger, logger }) {
    const { eventId, accountId, ...patch } = detail;
    const account = await applyAccountUpdate(ledger, accountId, patch, time, logger);
    logger.info('account update handled', { accountId, eventId });
    return { accountId: account.id };
  },
});

/**
 * Read, merge field by field (last writer wins by update time), validate, write. A new account
 * needs a complete record; an update that changes nothing newer writes nothing.
 */
export async function applyAccountUpdate(ledger: Ledger, accountId: string, patch: AccountPatch, updatedAt: string, logger?: Logger): Promise<AccountRecord> {
  const stored = await ledger.readAccountState(accountId);
  const merged = mergeAccountUpdate(stored, patch, updatedAt);
  const account = parseContract(AccountRecord, { ...merged.record, id: accountId }, `account ${accountId}`);
  if (merged.skipped.length > 0) logger?.info('older account fields skipped', { accountId, skipped: merged.skipped });
  if (merged.applied.length > 0) await ledger.writeAccountState(accountId, account, merged.fieldTimes, stored.version);
  return account;
}
