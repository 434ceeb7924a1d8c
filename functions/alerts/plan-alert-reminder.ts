import { LOCAL_DATE } from '../contracts/formats.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { reminderHandOverName, reminderSlot } from '../core/alerts/reminder.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** What an alert-reminder execution is about: the account, and why it runs (an event, or a hand-over after a day). */
const ReminderRequest = z.object({
  accountId: z.string().check(z.minLength(1)),
  /** The event id, or `after:<day>` for a hand-over: what a manual follow-up of this run is keyed on. */
  source: z.string().check(z.minLength(1)),
  /** A hand-over: the day already reminded; the slot is on a later day. */
  after: z.optional(z.string().check(z.regex(LOCAL_DATE, 'expected YYYY-MM-DD'))),
});
export type ReminderRequest = z.infer<typeof ReminderRequest>;

export interface AlertReminderPlan {
  /** This execution holds the account's reminder of `day` and waits for it; false: another one does, this one ends. */
  claimed: boolean;
  accountId: string;
  /** `YYYY-MM-DD`, local to the account. */
  day: string;
  /** `reminderTime` on `day`, ISO-8601 with the account's offset: the Wait state's timestamp. */
  remindAt: string;
  /** claimed: the execution this one hands over to after its reminder, while alerts stay open. */
  next?: { name: string; reminder: ReminderRequest };
}

/**
 * Plan an account's 17:00 reminder (docs/playbooks.md, alert channel): the first business day whose
 * reminderTime is at least 15 minutes ahead (or the next one after a day already reminded), claimed
 * for this execution in the ledger, once per account and day. Every alert event plans one; the first
 * execution to claim the day holds it, the others end: one reminder per account and day, however many
 * alerts and deliveries.
 */
export const planAlertReminder = definePlaybookFunction({
  id: 'plan-alert-reminder',
  input: z.object({
    reminder: ReminderRequest,
    /** `$$.Execution.Name`: the holder the ledger records, and what a retry of this step is recognised by. */
    holder: z.string().check(z.minLength(1)),
  }),
  async run({ reminder, holder }, { ledger, now, settings, calendar, logger, metrics }): Promise<AlertReminderPlan> {
    const { accountId } = reminder;
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const at = now();
    const slot = reminderSlot({ now: at, where: account, reminderTime: settings.alerts.reminderTime, after: reminder.after }, calendar);
    const remindAt = formatLocalIso(slot.at, account.timezone);
    const claim = await ledger.claimAlertReminder({ accountId, day: slot.day, remindAt, holder, plannedAt: formatLocalIso(at, account.timezone) });
    if (!claim.claimed) {
      logger.info('alert reminder already planned', { accountId, day: slot.day, source: reminder.source });
      return { claimed: false, accountId, day: slot.day, remindAt: claim.reminder.remindAt };
    }
    if (claim.created) metrics.addMetric('AlertReminderPlanned', 'Count', 1);
    logger.info('alert reminder planned', { accountId, day: slot.day, remindAt, source: reminder.source });
    return {
      claimed: true,
      accountId,
      day: slot.day,
      remindAt,
      next: { name: reminderHandOverName(accountId, slot.day), reminder: { accountId, source: `after:${slot.day}`, after: slot.day } },
    };
  },
});
