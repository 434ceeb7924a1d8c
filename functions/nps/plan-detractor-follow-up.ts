import type { OwnerRole } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { detractorCaller, detractorSchedule, followUpAnchor } from '../core/nps/detractor-schedule.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface DetractorFollowUpPlan {
  /** Wait timestamps (RFC 3339 with the account's offset) for the playbook's TimestampPath. */
  callCheckAt: string;
  planReviewAt: string;
  /** Since when a call or meeting with the respondent counts at the cool-down check: the answer, never later than the plan. */
  contactedSince: string;
  /** Owner role of the detractor-call task (`detractorCaller`). */
  callerRole: OwnerRole;
}

/**
 * When the detractor's playbook wakes (end of the cool-down, plan review) and who makes the call, per
 * the stage's settings. Counted from the answer, or from now when the vendor stamped it in the future.
 */
export const planDetractorFollowUp = definePlaybookFunction({
  id: 'plan-detractor-follow-up',
  input: z.object({ accountId: z.string().check(z.minLength(1)), respondedAt: isoInstant() }),
  async run({ accountId, respondedAt }, { ledger, settings, calendar, now, logger }): Promise<DetractorFollowUpPlan> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const anchor = followUpAnchor(new Date(respondedAt), now());
    if (anchor.getTime() !== Date.parse(respondedAt)) logger.warn('answer stamped in the future: waits count from now', { accountId, respondedAt });
    const schedule = detractorSchedule(anchor, account, settings.nps, calendar);
    return {
      callCheckAt: formatLocalIso(schedule.callCheckAt, account.timezone),
      planReviewAt: formatLocalIso(schedule.planReviewAt, account.timezone),
      contactedSince: formatLocalIso(anchor, account.timezone),
      callerRole: detractorCaller(settings.nps),
    };
  },
});
