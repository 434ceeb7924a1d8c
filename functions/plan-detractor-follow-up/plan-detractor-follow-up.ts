import type { OwnerRole } from '../contracts/index.ts';
import { isoInstant, z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { detractorCaller, detractorSchedule } from '../core/nps/detractor-schedule.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface DetractorFollowUpPlan {
  /** Wait timestamps (RFC 3339 with the account's offset) for the playbook's TimestampPath. */
  callCheckAt: string;
  planReviewAt: string;
  /** Owner role of the detractor-call task (`detractorCaller`). */
  callerRole: OwnerRole;
}

/** When the detractor's playbook wakes (end of the cool-down, plan review) and who makes the call, per the stage's settings. */
export const planDetractorFollowUp = definePlaybookFunction({
  id: 'plan-detractor-follow-up',
  input: z.object({ accountId: z.string().check(z.minLength(1)), respondedAt: isoInstant() }),
  async run({ accountId, respondedAt }, { ledger, settings, calendar }): Promise<DetractorFollowUpPlan> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const schedule = detractorSchedule(new Date(respondedAt), account, settings.nps, calendar);
    return {
      callCheckAt: formatLocalIso(schedule.callCheckAt, account.timezone),
      planReviewAt: formatLocalIso(schedule.planReviewAt, account.timezone),
      callerRole: detractorCaller(settings.nps),
    };
  },
});
