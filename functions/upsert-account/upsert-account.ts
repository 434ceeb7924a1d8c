import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Apply a CRM `AccountUpdated` to the account record every playbook reads. */
export const upsertAccount = definePlaybookFunction({
  id: 'upsert-account',
  input: z.object({ detail: DetailSchemas.AccountUpdated }),
  async run({ detail }, { ledger, now, logger }) {
    const { eventId, accountId, ...patch } = detail;
    const account = await ledger.upsertAccount(accountId, patch, now().toISOString());
    logger.info('account updated', { accountId, eventId, fields: Object.keys(patch) });
    return { accountId: account.id };
  },
});
