import { formatLocalIso, formatUtcIso } from '../core/calendar/business-time.ts';
import { DetailSchemas, DetailType } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { countStart, decideOnStart, touchpointSignal, type ContactSignal } from '../core/no-contact/check.ts';
import { checkClock } from '../core/no-contact/schedule.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface NoContactStart {
  /**
   * `claimed`: this execution holds the check and waits until `wakeAt`; `noted` / `unchanged`: it ends (`why`);
   * `skipped`: the ledger holds only part of the account (`pending`), so there is no check to start: it ends.
   */
  action: 'claimed' | 'noted' | 'unchanged' | 'skipped';
  accountId: string;
  why?: 'newer-touchpoint' | 'live' | 'ended' | 'pending';
  /** claimed: the holder's identity, which every later step and hand-over carries. */
  holder?: string;
  generation?: number;
  /** claimed: the wake-up, in UTC, for the Wait state's TimestampPath. */
  wakeAt?: string;
}

const envelope = { eventId: z.string().check(z.minLength(1)), accountId: z.string().check(z.minLength(1)) };

/**
 * A TouchpointLogged or an AccountUpdated reaches the account's 91-day check (docs/playbooks.md, no-contact):
 * claim the check when none is live, else record a newer touchpoint on it for its holder, else nothing.
 * Reads the event itself, not what touchpoint-log filed for it: the two rules run at once, in any order.
 * An account the ledger holds only in part (pending: no playbook sees it yet) is known, not missing:
 * nothing to do until it is complete, and no AccountNotFound for the playbook to retry. Only an account
 * the ledger holds nothing of is AccountNotFound (account-sync may not have written it yet).
 */
export const startNoContactCheck = definePlaybookFunction({
  id: 'start-no-contact-check',
  input: z.discriminatedUnion('detailType', [
    z.object({ detailType: z.literal(DetailType.TouchpointLogged), detail: DetailSchemas.TouchpointLogged, time: isoInstant(), execution: z.string().check(z.minLength(1)) }),
    // Only the account is read from an update: account-sync validates and applies the rest.
    z.object({ detailType: z.literal(DetailType.AccountUpdated), detail: z.object(envelope), time: isoInstant(), execution: z.string().check(z.minLength(1)) }),
  ]),
  async run(input, { ledger, now, settings, calendar, logger, metrics }): Promise<NoContactStart> {
    const { accountId } = input.detail;
    const known = await ledger.getAccountWithFirstSeen(accountId);
    if (!known) {
      if ((await ledger.readAccountState(accountId)).pending) {
        logger.info('no-contact check skipped: the account is pending', { accountId, trigger: input.detailType });
        return { action: 'skipped', accountId, why: 'pending' };
      }
      throw new AccountNotFound(accountId);
    }
    // When the ledger first learned of the account (its import): no count starts before it.
    const { account, firstSeenAt: importedAt } = known;
    const at = now();
    const clock = checkClock(at, account, settings.noContact, calendar, (instant) => formatLocalIso(instant, account.timezone));
    const stored = await ledger.noContactChecks.get(accountId);
    let signal: ContactSignal;
    if (input.detailType === DetailType.TouchpointLogged) {
      signal = touchpointSignal(input.detail.at, importedAt);
    } else {
      // The later of the latest touchpoint filed, the signature and the import; with none of them known,
      // when the check first saw the account.
      const latest = await ledger.latestTouchpoint(accountId);
      signal = countStart({ latestTouchpointAt: latest?.at, signedAt: account.signedAt, importedAt, seenAt: new Date(input.time), now: at });
    }
    const decision = decideOnStart({ accountId, stored: stored.check, signal, execution: input.execution, clock });

    if (decision.action === 'unchanged') {
      logger.info('no-contact check unchanged', { accountId, trigger: input.detailType, why: decision.why });
      return { action: 'unchanged', accountId, why: decision.why };
    }
    if (decision.action === 'noted') {
      await ledger.noContactChecks.write(decision.check, stored.version);
      logger.info('no-contact check: newer touchpoint noted for its holder', { accountId, trigger: input.detailType });
      return { action: 'noted', accountId, why: 'newer-touchpoint' };
    }
    const { check } = decision;
    if (decision.write) {
      await ledger.noContactChecks.write(check, stored.version);
      metrics.addMetric('NoContactCheckClaimed', 'Count', 1);
    }
    logger.info('no-contact check claimed', { accountId, trigger: input.detailType, phase: check.phase, countFrom: check.countFrom, wakeAt: check.wakeAt });
    return { action: 'claimed', accountId, holder: check.holder, generation: check.generation, wakeAt: formatUtcIso(new Date(check.wakeAt!)) };
  },
});
