import { applyAccountUpdate } from '../adapters/accounts.ts';
import { dispatchOnce } from '../adapters/mirror.ts';
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
    const changed = current.npsSurveysSuppressed !== true;
    if (changed) {
      const at = now();
      await applyAccountUpdate(ledger, settings, accountId, { npsSurveysSuppressed: true }, at.toISOString(), at);
      metrics.addMetric('NpsSurveysSuppressed', 'Count', 1);
    }
    // An absolute value, queued on every run (once per key): a run that stopped between the ledger and the queue is completed by its retry.
    await dispatchOnce(ledger, { port: 'crm', method: 'updateCompany', request: { idempotencyKey: `${accountId}:nps-suppression`, accountId, npsSurveySuppressed: true } }, now());
    logger.info(changed ? 'nps surveys suppressed' : 'nps surveys already suppressed', { accountId });
    return { suppressed: true, changed };
  },
});
