import { seal } from '../adapters/sealed.ts';
import type { Sealed } from '../contracts/index.ts';
import { formatLocalIso, formatUtcIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { handOverName, type HandOverInput } from '../core/checks/held-check.ts';
import { decideAfterWakeUp, NO_CONTACT_EXECUTIONS, type CheckDecision } from '../core/no-contact/check.ts';
import { describeOutreach, describeReminder } from '../core/no-contact/describe.ts';
import { checkClock } from '../core/no-contact/schedule.ts';
import { HolderInput } from '../runtime/held-check-steps.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface NoContactRecheck {
  decision: CheckDecision['decision'] | 'superseded';
  why?: CheckDecision['why'];
  /** outreach and remind: the count they are about, the reason of the task (one per count and kind). */
  cycle?: string;
  /** outreach and remind: the task's body, naming who to talk to, sealed in the ledger (state carries its id). */
  details?: Sealed;
  /** wait and outreach: the execution the check is handed over to, by name, and its input. */
  next?: { name: string } & HandOverInput;
}

/**
 * The holder of an account's 91-day check wakes up (invariant 5, exit on goal): re-read the check and
 * the latest touchpoint filed, then wait again (hand over), propose an exchange, or remind. The
 * decision is written before it is returned; a retry of this step returns it again from the record,
 * and an execution that no longer holds the check is told `superseded`.
 */
export const recheckNoContact = definePlaybookFunction({
  id: 'recheck-no-contact',
  input: HolderInput,
  async run({ accountId, holder, generation }, { ledger, now, settings, calendar, logger, metrics }): Promise<NoContactRecheck> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const local = (instant: Date) => formatLocalIso(instant, account.timezone);
    const clock = checkClock(now(), account, settings.noContact, calendar, local);
    const { check: stored, version } = await ledger.noContactChecks.get(accountId);
    const latest = await ledger.latestTouchpoint(accountId);
    const token = { holder, generation };
    const after = decideAfterWakeUp({ stored, token, latestTouchpointAt: latest?.at, clock });

    if (after.decision === 'superseded') {
      logger.info('no-contact check no longer held by this execution: exit', { accountId, generation });
      return { decision: 'superseded' };
    }
    if (after.check) {
      await ledger.noContactChecks.write(after.check, version);
      metrics.addMetric(`NoContact_${after.decision}`, 'Count', 1);
    }
    const { decided } = after;
    logger.info('no-contact check re-read', { accountId, generation, decision: decided.decision, why: decided.why, next: decided.next?.wakeAt, written: after.check !== undefined });

    const check = after.check ?? stored!;
    const next = decided.next && {
      name: handOverName(NO_CONTACT_EXECUTIONS, accountId, { holder, generation: decided.next.generation }),
      check: { accountId, holder, generation: decided.next.generation, wakeAt: formatUtcIso(new Date(decided.next.wakeAt)) },
    };
    const { noContactDays, noContactReminderDays } = settings.noContact;
    switch (decided.decision) {
      case 'outreach':
        return {
          decision: 'outreach',
          cycle: decided.cycle,
          details: await seal(ledger, accountId, decided.cycle, 'no-contact-outreach', describeOutreach(account, { countFrom: check.countFrom, since: check.cycleFrom, days: noContactDays }), now()),
          next: next!,
        };
      case 'remind':
        return {
          decision: 'remind',
          cycle: decided.cycle,
          details: await seal(ledger, accountId, decided.cycle, 'no-contact-reminder', describeReminder(account, { outreachAt: check.outreachAt ?? check.cycleFrom, days: noContactReminderDays }), now()),
        };
      default:
        return { decision: 'wait', why: decided.why, next: next! };
    }
  },
});
