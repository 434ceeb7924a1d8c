import { applyAccountUpdate } from '../adapters/accounts.ts';
import { z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * A detractor's action plan starts: no NPS survey to the account until it ends (seed 003 step 6).
 * Exposed on the account record (`npsSurveysSuppressed`) for the survey tool to read; merged like any
 * other field, as of now, so a concurrent CRM update is retried, not overwritten.
 */
export const suppressNpsSurveys = definePlaybookFunction({
  id: 'suppress-nps-surveys',
  input: z.object({ accountId: z.string().check(z.minLength(1)) }),
  async run({ accountId }, { ledger, settings, now, logger, metrics }) {
    const current = await ledger.getAccount(accountId);
    if (!current) throw new AccountNotFound(accountId);
    if (current.npsSurveysSuppressed === true) {
      logger.info('nps surveys already suppressed', { accountId });
      return { suppressed: true, changed: false };
    }
    await applyAccountUpdate(ledger, settings, accountId, { npsSurveysSuppressed: true }, now().toISOString());
    metrics.addMetric('NpsSurveysSuppressed', 'Count', 1);
    logger.info('nps surveys suppressed', { accountId });
    return { suppressed: true, changed: true };
  },
});
