import { z } from '../contracts/zod.ts';
import { checkFailed } from '../core/checks/held-check.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * The usage check's fatal path (a step failed after its retries): if the account's check is held by
 * this execution, mark it `failed`, so that the account's next use resumes it (the recorder sees no
 * live check) instead of finding it held by an execution that will never wake.
 */
export const releaseUsageCheck = definePlaybookFunction({
  id: 'release-usage-check',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    holder: z.string().check(z.minLength(1)),
    generation: z.int().check(z.gte(0)),
  }),
  async run({ accountId, holder, generation }, { ledger, logger }) {
    const { check, version } = await ledger.usageChecks.get(accountId);
    const failed = checkFailed(check, { holder, generation });
    if (failed) await ledger.usageChecks.write(failed, version);
    logger.info(failed ? 'usage check marked failed' : 'no check of this execution to release', { accountId, generation });
    return { accountId, released: failed !== undefined };
  },
});
