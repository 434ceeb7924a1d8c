import { dispatchOnce } from '../adapters/mirror.ts';
import { readCaseWithinLossRule, updatePreChurnCase } from '../adapters/pre-churn-cases.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * seed 001: "ajouter le PLAN EXPIRATION DATE dans une date future (le lendemain) pour que SF churn le
 * compte lors de sa mise à jour dans la nuit". It churns the account, so the loss rule is checked here
 * too; the date is the one the RETENTION case recorded (tomorrow in the account's zone, when the loss was
 * recorded), queued once for the CRM's company (`crm.updateCompany`, an absolute value; the dispatch drain
 * delivers it, after a CRM outage too). `sent`: this run queued it.
 */
export const setPlanExpiry = definePlaybookFunction({
  id: 'set-plan-expiry',
  input: z.object({ accountId: z.string().check(z.minLength(1)), caseId: z.string().check(z.minLength(1)) }),
  async run({ accountId, caseId }, { ledger, now, settings, calendar, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { record, rule } = await readCaseWithinLossRule(ledger, { accountId, caseId, step: 'plan expiry' }, { windowDays: settings.preChurn.windowDays, calendar, logger });
    const retention = record.retention;
    if (!retention) throw new Error(`Pre-churn case ${caseId}: record the RETENTION case before the plan's expiry`);
    if (retention.planExpirySentAt) return { caseId, planExpiresOn: retention.planExpiresOn, sent: false };
    await dispatchOnce(ledger, { port: 'crm', method: 'updateCompany', request: { idempotencyKey: `${accountId}:plan-expires:${caseId}`, accountId, planExpiresOn: retention.planExpiresOn } }, now());
    const sentAt = formatLocalIso(now(), account.timezone);
    await updatePreChurnCase(ledger, accountId, caseId, (stored) => ({ write: { ...stored!, retention: { ...stored!.retention!, planExpirySentAt: sentAt } }, result: undefined }));
    logger.info('plan expiry set', { accountId, caseId, owner: rule.opened.owner, planExpiresOn: retention.planExpiresOn, rule: rule.facts });
    return { caseId, planExpiresOn: retention.planExpiresOn, sent: true };
  },
});
