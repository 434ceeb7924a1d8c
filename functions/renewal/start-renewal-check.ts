import { DetailSchemas, DetailType, StoredAccountRecord } from '../contracts/index.ts';
import { isoInstant, parseContract, z } from '../contracts/zod.ts';
import { formatUtcIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { decideRenewalStart, renewalDateOf } from '../core/renewal/check.ts';
import { renewalClock } from '../core/renewal/schedule.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface RenewalStartResult {
  /** `claimed`: this execution holds the check and waits until `wakeAt`; the others end. */
  action: 'claimed' | 'recorded' | 'unchanged' | 'skipped';
  accountId: string;
  why?: string;
  holder?: string;
  generation?: number;
  /** claimed: the wake-up, in UTC, for the Wait state's TimestampPath. */
  wakeAt?: string;
}

/**
 * An AccountUpdated or a RenewalRecorded reaches the account's renewal check (docs/playbooks.md,
 * renewal; core/renewal/check.ts decides). The update's own `renewalAt` is read before the ledger's
 * (account-sync may write it a moment later), unless the ledger's was set later (`renewalDateOf`). An
 * account the ledger holds only in part is skipped (its next update starts the check); one it holds
 * nothing of is AccountNotFound.
 */
export const startRenewalCheck = definePlaybookFunction({
  id: 'start-renewal-check',
  input: z.discriminatedUnion('detailType', [
    // Only the account, its renewal date and when the CRM set it are read from an update: account-sync validates and applies the rest.
    z.object({
      detailType: z.literal(DetailType.AccountUpdated),
      detail: z.object({ eventId: z.string(), accountId: z.string(), renewalAt: z.optional(DetailSchemas.AccountUpdated.shape.renewalAt), updatedAt: z.optional(z.string()) }),
      time: isoInstant(),
      execution: z.string().check(z.minLength(1)),
    }),
    z.object({ detailType: z.literal(DetailType.RenewalRecorded), detail: DetailSchemas.RenewalRecorded, time: isoInstant(), execution: z.string().check(z.minLength(1)) }),
  ]),
  async run(input, { ledger, now, settings, calendar, logger, metrics }): Promise<RenewalStartResult> {
    const { accountId } = input.detail;
    const state = await ledger.readAccountState(accountId);
    if (state.pending) {
      logger.info('renewal check skipped: the account is pending', { accountId, trigger: input.detailType });
      return { action: 'skipped', accountId, why: 'pending' };
    }
    if (state.version === 0) throw new AccountNotFound(accountId);
    // As account reads do (Ledger.getAccount): a stored account is never refused for a rule added since.
    const account = parseContract(StoredAccountRecord, state.record, `stored account ${accountId}`);
    const { check: stored, version } = await ledger.renewalChecks.get(accountId);
    const renewalAt =
      input.detailType === DetailType.AccountUpdated
        ? renewalDateOf({ renewalAt: input.detail.renewalAt, at: input.detail.updatedAt ?? input.time }, { renewalAt: account.renewalAt, setAt: state.fieldTimes.renewalAt })
        : account.renewalAt;
    const recorded = input.detailType === DetailType.RenewalRecorded ? { outcome: input.detail.outcome, at: input.detail.at, eventId: input.detail.eventId, renewalAt: input.detail.renewalAt } : undefined;
    const decision = decideRenewalStart({ accountId, stored, renewalAt, recorded, execution: input.execution, clock: renewalClock(now(), account, calendar), settings: settings.renewal });

    if (decision.action === 'unchanged') {
      logger.info('renewal check unchanged', { accountId, trigger: input.detailType, why: decision.why });
      return { action: 'unchanged', accountId, why: decision.why };
    }
    if (decision.action === 'recorded') {
      await ledger.renewalChecks.write(decision.check, version);
      metrics.addMetric(`RenewalRecorded_${decision.check.recorded!.outcome}`, 'Count', 1);
      logger.info('renewal recorded on its check: no reminder follows', { accountId, outcome: decision.check.recorded!.outcome });
      return { action: 'recorded', accountId };
    }
    const { check } = decision;
    if (decision.write) {
      await ledger.renewalChecks.write(check, version);
      metrics.addMetric('RenewalCheckClaimed', 'Count', 1);
    }
    logger.info('renewal check claimed', { accountId, trigger: input.detailType, why: decision.why, wakeAt: check.wakeAt });
    return { action: 'claimed', accountId, ...(decision.why ? { why: decision.why } : {}), holder: check.holder, generation: check.generation, wakeAt: formatUtcIso(new Date(check.wakeAt!)) };
  },
});
