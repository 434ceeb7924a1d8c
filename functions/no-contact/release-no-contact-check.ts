import { z } from '../contracts/zod.ts';
import { checkFailed } from '../core/checks/held-check.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * The 91-day check's fatal path (a step failed after its retries): if the account's check is held by
 * this execution, mark it `failed`, so that the account's next event resumes it instead of finding it
 * held by an execution that will never wake. Any other execution's check is left alone.
 */
export const releaseNoContactCheck = definePlaybookFunction({
  id: 'release-no-contact-check',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    holder: z.string().check(z.minLength(1)),
    generation: z.int().check(z.gte(0)),
  }),
  async run({ accountId, holder, generation }, { ledger, logger }) {
    const { check, version } = await ledger.noContactChecks.get(accountId);
    const failed = checkFailed(check, { holder, generation });
    if (failed) await ledger.noContactChecks.write(failed, version);
    logger.info(failed ? 'no-contact check marked failed' : 'no check of this execution to release', { accountId, generation });
    return { accountId, released: failed !== undefined };
  },
});
