import { formatLocalIso } from '../core/calendar/business-time.ts';
import { dispatchOnce } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { AccountNotFound, AlertNotFound } from '../core/errors.ts';
import type { AccountRecord } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { definePlaybookFunction, type PlaybookDeps } from '../runtime/playbook-function.ts';

/**
 * ✅ an alert: its playbook set a task or resolved it. Recorded in the ledger first (once), then the
 * reaction on the channel's message queued (once): the dispatch drain adds it as soon as the alert's
 * own post is out, which may come later when Slack was down.
 */
export const acknowledgeAlert = definePlaybookFunction({
  id: 'acknowledge-alert',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    alertId: z.string().check(z.minLength(1)),
    /** The task set (its id) or the resolution, in words. */
    handledBy: z.string().check(z.minLength(1)),
  }),
  async run({ accountId, alertId, handledBy }, deps) {
    const account = await deps.ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const alert = await deps.ledger.getAlert(accountId, alertId);
    if (!alert) throw new AlertNotFound(accountId, alertId);
    const { changed } = await acknowledge(deps, account, alertId, handledBy);
    return { acknowledged: true, changed };
  },
});

/** The ledger's acknowledgement, then the reaction queued, each once. */
export async function acknowledge({ ledger, now, logger }: PlaybookDeps, account: AccountRecord, alertId: string, handledBy: string): Promise<{ changed: boolean }> {
  const accountId = account.id;
  const { changed } = await ledger.acknowledgeAlert(accountId, alertId, handledBy, formatLocalIso(now(), account.timezone));
  await dispatchOnce(ledger, { port: 'alerts', method: 'acknowledge', request: { idempotencyKey: `ack:${alertId}`, accountId }, postedAs: keys.alert(accountId, alertId) }, now());
  logger.info(changed ? 'alert acknowledged' : 'alert already acknowledged', { accountId, alertId });
  return { changed };
}
