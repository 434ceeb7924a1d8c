import { isoInstant, z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { needsStoreCall } from '../core/nps/store-call.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Promoter answer: does the account qualify for a store call (seed 001)? */
export const checkStoreCall = definePlaybookFunction({
  id: 'check-store-call',
  input: z.object({ accountId: z.string().check(z.minLength(1)), respondedAt: isoInstant() }),
  async run({ accountId, respondedAt }, { ledger, calendar, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const storeCall = needsStoreCall(account, new Date(respondedAt), calendar);
    logger.info('store call checked', { accountId, storeCall });
    return { storeCall };
  },
});
