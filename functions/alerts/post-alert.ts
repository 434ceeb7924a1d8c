import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { acknowledgeButton, alertId, alertText, snoozeButton, type AlertType } from '../core/alerts/alert.ts';
import { THRESHOLD_ALERTS } from '../contracts/thresholds.ts';
import { AccountNotFound } from '../core/errors.ts';
import { joinText, StepText } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

const ALERT_TYPES = ['churn-risk', 'red-alert', 'nps-detractor', 'upsell-request', 'hardware-order', 'first-reply-overdue', 'account-flooded', 'usage-drop', 'health-drop', 'threshold'] as const satisfies readonly AlertType[];

/**
 * Raise an alert in the ledger (open, once per account, type and reason), and queue its post to the
 * alert channel, once: a retry or a redelivery finds it queued or posted and queues nothing.
 */
export const postAlert = definePlaybookFunction({
  id: 'post-alert',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    type: z.enum(ALERT_TYPES),
    playbook: z.string().check(z.minLength(1)),
    reason: z.string().check(z.minLength(1)),
    /** What the channel should read besides the headline (a score, the competitor, the request), its sealed parts opened. */
    detail: z.optional(StepText),
    /** A threshold alert: its post also offers the 💤 that snoozes this threshold. */
    snooze: z.optional(z.enum(THRESHOLD_ALERTS)),
  }),
  async run({ accountId, type, playbook, reason, detail, snooze }, { ledger, now, logger, metrics }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const id = alertId({ accountId, type, reason });
    const { created, item } = await ledger.raiseAlert({
      id,
      accountId,
      type,
      playbook,
      reason,
      text: alertText(type, account, joinText(detail)),
      raisedAt: formatLocalIso(now(), account.timezone),
      status: 'open',
    });
    if (created) metrics.addMetric(`Alert_${type}`, 'Count', 1);
    const posted = await mirrorLater(
      ledger,
      { key: keys.alert(accountId, id), mirrored: item.slackMessage },
      'slackMessage',
      { port: 'alerts', method: 'postAlert', request: { idempotencyKey: `alert:${id}`, accountId, type, text: item.text, buttons: [acknowledgeButton(accountId, id), ...(snooze ? [snoozeButton(accountId, id, snooze)] : [])] } },
      now(),
    );
    // Ids and types only: the text names the account.
    logger.info(posted.queued ? 'alert queued for the channel' : 'alert already queued or posted', { accountId, alertId: id, type });
    return { alertId: id, created };
  },
});
