import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { describeDegradation } from '../core/health/describe.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * What the at-risk playbook does about a degradation (docs/playbooks.md, health): the text the alert and
 * the task read (the score, the band it fell from, the measure that dragged it down and what it read:
 * figures only), and whether the account is high-touch (`usage.highTouchSegments`: the CSM's
 * `at-risk-plan` task) or low-touch (the at-risk e-mail to the champion).
 */
export const planAtRisk = definePlaybookFunction({
  id: 'plan-at-risk',
  input: z.object({ detail: DetailSchemas.HealthDegraded }),
  async run({ detail }, { ledger, settings }) {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const highTouch = account.segment !== undefined && settings.usage.highTouchSegments.includes(account.segment);
    return { highTouch, details: describeDegradation(detail) };
  },
});
