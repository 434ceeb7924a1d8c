import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { LOCAL_DATE } from '../contracts/formats.ts';
import { z } from '../contracts/zod.ts';
import { reminderText, type Alert } from '../core/alerts/alert.ts';
import { listedAt, remindedDaily } from '../core/alerts/reminder.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface ReminderOutcome {
  /** The reminder is in the channel (posted now, or by an earlier attempt of this step). */
  posted: boolean;
  /** The alerts it lists, oldest first: ids only. */
  alertIds: string[];
  /** Alerts of the account are still open: the next business day gets a reminder too. */
  handOver: boolean;
}

/**
 * At the account's reminder time: list its alerts still waiting for a task or a resolution (no ✅)
 * that were raised by then, and post ONE reminder listing them to the alert channel, once per account
 * and day (a retry or a second execution finds the post recorded on the day's reminder and posts
 * nothing). Whether alerts stay open decides the hand-over to the next business day.
 */
export const remindOpenAlerts = definePlaybookFunction({
  id: 'remind-open-alerts',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    /** The day plan-alert-reminder claimed, `YYYY-MM-DD` local to the account. */
    day: z.string().check(z.regex(LOCAL_DATE, 'expected YYYY-MM-DD')),
  }),
  async run({ accountId, day }, { ledger, now, logger, metrics }): Promise<ReminderOutcome> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const reminder = await ledger.getAlertReminder(accountId, day);
    // Only the execution that claimed the day gets here: a missing claim is a bug, not a state to guess from.
    if (!reminder) throw new Error(`No reminder planned for account ${accountId} on ${day}`);

    const entries = await ledger.openAlertsOf(accountId);
    const read = await Promise.all(entries.map((entry) => ledger.getAlert(accountId, entry.alertId)));
    // An alert acknowledged between its open-list entry and this read is gone from the list already.
    const open = read.filter((alert): alert is Alert => alert?.status === 'open' && remindedDaily(alert.type));
    const listed = open.filter((alert) => listedAt(alert, reminder.remindAt)).sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id.localeCompare(b.id));
    const alertIds = listed.map((alert) => alert.id);
    const handOver = open.length > 0;

    if (listed.length === 0) {
      logger.info('no open alert to remind', { accountId, day, handOver });
      return { posted: reminder.slackMessage !== undefined, alertIds, handOver };
    }
    const post = await mirrorLater(
      ledger,
      { key: keys.alertReminder(accountId, day), mirrored: reminder.slackMessage },
      'slackMessage',
      { port: 'alerts', method: 'postAlert', request: { idempotencyKey: `reminder:${accountId}:${day}`, accountId, type: 'unacknowledged-reminder', text: reminderText(listed) } },
      now(),
    );
    if (post.queued) metrics.addMetric('AlertReminderPosted', 'Count', 1);
    // Ids only: the text names the account.
    logger.info(post.queued ? 'alert reminder queued for the channel' : 'alert reminder already queued or posted', { accountId, day, alertIds, handOver });
    return { posted: true, alertIds, handOver };
  },
});
