import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { readCaseWithinLossRule, updatePreChurnCase } from '../adapters/pre-churn-cases.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import type { RetentionCase } from '../core/pre-churn/case.ts';
import { retentionCaseDescription, retentionCaseTitle } from '../core/pre-churn/describe.ts';
import { planExpiresOn } from '../core/pre-churn/plan-expiry.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * seed 001: "On crée ensuite une case RETENTION avec pour origine SALES PROCESS … joindre la capture
 * d'écran … et passer la case en perdue". Only for a case the loss rule allows (within the window, lost,
 * proof on file), checked here whatever the caller. Recorded on the case in the ledger once (with the
 * plan's expiry date, tomorrow in the account's zone, fixed now so that every retry sends the same), then
 * mirrored once to the CRM (queued: the dispatch drain delivers it and records its CRM id on the case): a
 * lost deal in the retention pipeline, named and described as that case. `crmId` is known once delivered.
 */
export const recordRetentionCase = definePlaybookFunction({
  id: 'record-retention-case',
  input: z.object({ accountId: z.string().check(z.minLength(1)), caseId: z.string().check(z.minLength(1)) }),
  async run({ accountId, caseId }, { ledger, now, settings, calendar, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { rule } = await readCaseWithinLossRule(ledger, { accountId, caseId, step: 'RETENTION case' }, { windowDays: settings.preChurn.windowDays, calendar, logger });
    const { opened } = rule;
    const at = now();
    const { retention, created } = await updatePreChurnCase(ledger, accountId, caseId, (stored) => {
      if (stored?.retention) return { result: { retention: stored.retention, created: false } };
      const retention: RetentionCase = {
        type: 'RETENTION',
        origin: 'SALES_PROCESS',
        status: 'lost',
        proofUrl: rule.proofUrl,
        recordedAt: formatLocalIso(at, account.timezone),
        planExpiresOn: planExpiresOn(at, account.timezone, calendar),
      };
      return { write: { ...stored!, retention }, result: { retention, created: true } };
    });
    const { mirrored: crmId } = await mirrorLater(
      ledger,
      { key: keys.preChurnCase(accountId, caseId), mirrored: retention.crmId },
      'record.retention.crmId',
      {
        port: 'crm',
        method: 'upsertRisk',
        request: {
          idempotencyKey: caseId,
          accountId,
          kind: 'churn-risk',
          title: retentionCaseTitle(account),
          status: 'lost',
          reason: retentionCaseDescription(retention.proofUrl, retention.planExpiresOn),
          amountAtRisk: account.arr ?? account.mrr * 12,
        },
      },
      at,
    );
    // Who, what and why: ids, the amount at stake, the rule as checked (never a name or the proof's link).
    logger.info(created ? 'RETENTION case recorded, lost' : 'RETENTION case already recorded', {
      accountId,
      caseId,
      owner: opened.owner,
      ownerRole: opened.ownerRole,
      type: retention.type,
      origin: retention.origin,
      arr: account.arr ?? account.mrr * 12,
      planExpiresOn: retention.planExpiresOn,
      crmId,
      rule: rule.facts,
    });
    return { caseId, planExpiresOn: retention.planExpiresOn, crmId, created };
  },
});
