import { formatLocalIso } from '../core/calendar/business-time.ts';
import { messageRef } from '../core/alerts/alert.ts';
import { AccountNotFound, AlertNotFound } from '../core/errors.ts';
import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * ✅ an alert: its playbook set a task or resolved it. Recorded in the ledger first (once), then the
 * reaction on the channel's message (adding it twice is not an error, so a retry completes it).
 */
export const acknowledgeAlert = definePlaybookFunction({
  id: 'acknowledge-alert',
  ports: ['alerts'],
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    alertId: z.string().check(z.minLength(1)),
    /** The task set (its id) or the resolution, in words. */
    handledBy: z.string().check(z.minLength(1)),
  }),
  async run({ accountId, alertId, handledBy }, { ledger, now, logger, ports }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const alert = await ledger.getAlert(accountId, alertId);
    if (!alert) throw new AlertNotFound(accountId, alertId);
    const { changed } = await ledger.acknowledgeAlert(accountId, alertId, handledBy, formatLocalIso(now(), account.timezone));
    if (alert.slackMessage) await ports.alerts.acknowledge({ idempotencyKey: `ack:${alertId}`, accountId, message: messageRef(alert.slackMessage) });
    logger.info(changed ? 'alert acknowledged' : 'alert already acknowledged', { accountId, alertId });
    return { acknowledged: true, changed };
  },
});
