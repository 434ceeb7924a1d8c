import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso, formatUtcIso } from '../core/calendar/business-time.ts';
import { businessMomentOnOrAfter } from '../core/checks/wake-up.ts';
import { AccountNotFound } from '../core/errors.ts';
import { decideUsageStart } from '../core/usage/usage-check.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface UsageCheckStart {
  /** `claimed`: this execution holds the check and reviews at `wakeAt`; `unchanged`: a holder is live, it ends. */
  action: 'claimed' | 'unchanged';
  accountId: string;
  why?: 'live';
  holder?: string;
  generation?: number;
  /** claimed: the first review, in UTC, for the Wait state's TimestampPath: the next business moment. */
  wakeAt?: string;
}

/**
 * The account is used with no usage check live (`AccountActive`, from the usage recorder): claim the
 * check, or leave it to its live holder. A check that ended or failed is resumed with what it raised.
 */
export const startUsageCheck = definePlaybookFunction({
  id: 'start-usage-check',
  input: z.object({ detail: DetailSchemas.AccountActive, execution: z.string().check(z.minLength(1)) }),
  async run({ detail: { accountId }, execution }, { ledger, now, calendar, logger, metrics }): Promise<UsageCheckStart> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const at = now();
    const wakeAt = formatLocalIso(businessMomentOnOrAfter(at, account, calendar), account.timezone);
    const stored = await ledger.usageChecks.get(accountId);
    const decision = decideUsageStart(accountId, stored.check, execution, wakeAt, at);
    if (decision.action === 'unchanged') {
      logger.info('usage check already live', { accountId });
      return { action: 'unchanged', accountId, why: 'live' };
    }
    const { check } = decision;
    if (decision.write) {
      await ledger.usageChecks.write(check, stored.version);
      metrics.addMetric('UsageCheckClaimed', 'Count', 1);
    }
    logger.info('usage check claimed', { accountId, wakeAt: check.wakeAt, resumed: stored.check !== undefined });
    return { action: 'claimed', accountId, holder: check.holder, generation: check.generation, wakeAt: formatUtcIso(new Date(check.wakeAt!)) };
  },
});
