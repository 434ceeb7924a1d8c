import { AccountNotFound } from '../core/errors.ts';
import { THRESHOLD_ALERTS } from '../contracts/thresholds.ts';
import { isThresholdOf } from '../core/health/thresholds.ts';
import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';
import { acknowledge } from './acknowledge-alert.ts';

/**
 * A threshold alert snoozed (`AlertSnoozed`): a decision about it, so its open posts of that threshold
 * are acknowledged, handled by the snooze (until when, by whom, why: the reason opened from its seal, read
 * in the channel and the report like the alert itself). The one its 💤 was clicked under, or, from a CS
 * tool that names the threshold only, every open one of that threshold. The health scorer keeps the
 * snooze itself (quiet until its date).
 */
export const snoozeAlert = definePlaybookFunction({
  id: 'snooze-alert',
  // The event's detail, whole: its optional fields (the alert, the reason) are paths a state could not name when absent.
  input: z.object({
    detail: z.object({
      accountId: z.string().check(z.minLength(1)),
      alertType: z.enum(THRESHOLD_ALERTS),
      until: z.string().check(z.minLength(1)),
      by: z.string().check(z.minLength(1)),
      alertId: z.optional(z.string().check(z.minLength(1))),
      reason: z.optional(z.string()),
    }),
  }),
  async run({ detail: { accountId, alertType, until, by, alertId, reason } }, deps) {
    const { ledger, logger } = deps;
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const open = await ledger.openAlertsOf(accountId);
    const alerts = await Promise.all(open.map(({ alertId: id }) => ledger.getAlert(accountId, id)));
    // Only this threshold's alerts: a snooze never ✅s another alert, whatever alert it names.
    const ofThreshold = (alert: (typeof alerts)[number]) => alert !== undefined && alert.type === 'threshold' && isThresholdOf(alert.reason, accountId, alertType);
    const snoozed = alerts.filter((alert) => ofThreshold(alert) && (alertId === undefined || alert!.id === alertId));
    const handledBy = `snoozed until ${until} by ${by}${reason ? `: ${reason}` : ''}`;
    for (const alert of snoozed) await acknowledge(deps, account, alert!.id, handledBy);
    logger.info('threshold alert snoozed', { accountId, alertType, until, acknowledged: snoozed.length });
    return { acknowledged: snoozed.map((alert) => alert!.id) };
  },
});
