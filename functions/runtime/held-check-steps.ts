import type { HeldChecks } from '../adapters/held-checks.ts';
import type { Ledger } from '../adapters/ledger.ts';
import { z } from '../contracts/zod.ts';
import { checkFailed, type Held } from '../core/checks/held-check.ts';
import { definePlaybookFunction } from './playbook-function.ts';

/** What every step of a held check's holder is called with (core/checks/held-check.ts): the account and the holder's token. */
export const HolderInput = z.object({
  accountId: z.string().check(z.minLength(1)),
  holder: z.string().check(z.minLength(1)),
  generation: z.int().check(z.gte(0)),
});

/**
 * A held check's fatal path (a step failed after its retries), the same for every kind: if the
 * account's check is held by this execution, mark it `failed`, so that the account's next event resumes
 * it instead of finding it held by an execution that will never wake. Any other execution's check is
 * left alone.
 */
export function defineReleaseCheck<C extends Held>(id: string, what: string, checks: (ledger: Ledger) => HeldChecks<C>) {
  return definePlaybookFunction({
    id,
    input: HolderInput,
    async run({ accountId, holder, generation }, { ledger, logger }) {
      const { check, version } = await checks(ledger).get(accountId);
      const failed = checkFailed(check, { holder, generation });
      if (failed) await checks(ledger).write(failed, version);
      logger.info(failed ? `${what} marked failed` : 'no check of this execution to release', { accountId, generation });
      return { accountId, released: failed !== undefined };
    },
  });
}
