import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { readPreChurnCase, readRefund, writeRefund } from '../adapters/pre-churn-cases.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound, OutsidePreChurnRule, RefundInProgress } from '../core/errors.ts';
import { leaseFrom, nextRefundStep, refundRequestText, type RefundRecord } from '../core/pre-churn/refund.ts';
import { checkLossRule, type LossRuleFacts } from '../core/pre-churn/rule.ts';
import { refundId } from '../core/tasks/identity.ts';
import { definePlaybookFunction, type PlaybookDeps } from '../runtime/playbook-function.ts';

/** Two attempts racing for one record settle within a few rounds (one creates or leases it, the other sees it). */
const MAX_WRITE_ATTEMPTS = 3;

/**
 * The finance refund request of a lost pre-churn case, exactly once per case, however often the outcome
 * is delivered and whenever the Lambda is retried: the protocol is in functions/core/pre-churn/refund.ts
 * (the ledger's `REFUND#<case>` record first, the refund id in the message's metadata, a history search
 * before any second post). The loss rule is checked first, whatever the caller: within the window, lost,
 * proof on file; outside it, nothing is written or posted (OutsidePreChurnRule).
 */
export const requestRefund = definePlaybookFunction({
  id: 'request-refund',
  ports: ['finance'],
  input: z.object({ accountId: z.string().check(z.minLength(1)), caseId: z.string().check(z.minLength(1)) }),
  async run({ accountId, caseId }, deps) {
    const { ledger, now, settings, calendar, logger } = deps;
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { record } = await readPreChurnCase(ledger, accountId, caseId);
    const rule = checkLossRule(record, settings.preChurn.windowDays, calendar);
    const id = refundId({ accountId, caseId });
    // Who (the case's owner), what (the refund, the amount of reference) and why (the rule as checked): ids and numbers, never a name.
    const audit = { accountId, caseId, refundId: id, requestedBy: record?.opened?.owner, ownerRole: record?.opened?.ownerRole, monthlyAmount: account.mrr, currency: 'EUR', rule: rule.facts };
    if (!rule.allowed) {
      logger.warn('refund request refused: outside the pre-churn rule', { ...audit, why: rule.why });
      throw new OutsidePreChurnRule(caseId, rule.why);
    }
    const { opened, proofUrl } = rule;
    const text = refundRequestText({
      accountName: account.name,
      accountId,
      caseId,
      refundId: id,
      requestedOn: opened.requestedAt.slice(0, 10),
      signedOn: calendar.localDate(new Date(record!.signedAt), account.timezone),
      daysSinceSignature: rule.facts.daysSinceSignature!,
      windowDays: rule.facts.windowDays,
      monthlyAmount: account.mrr,
      proofUrl,
      requestedBy: opened.owner,
    });

    for (let attempt = 1; ; attempt++) {
      const at = now();
      const stored = await readRefund(ledger, accountId, caseId);
      let leased: RefundRecord;
      let searchFirst: boolean;
      if (!stored.refund) {
        // Written before anything is posted: an attempt that creates it knows nothing was.
        leased = {
          id,
          caseId,
          accountId,
          status: 'posting',
          createdAt: at.toISOString(),
          attempts: 1,
          leaseUntil: leaseFrom(at),
          requestedBy: opened.owner,
          monthlyAmount: account.mrr,
          currency: 'EUR',
          proofUrl,
        };
        searchFirst = false;
      } else {
        const step = nextRefundStep(stored.refund, at);
        if (step.step === 'done') {
          logger.info('refund already requested', { ...audit, slackMessage: stored.refund.message });
          return { refundId: id, status: 'already-requested' as const, message: stored.refund.message! };
        }
        if (step.step === 'wait') throw new RefundInProgress(id, step.until);
        // An earlier attempt stopped after its record, perhaps after its post: look before posting.
        leased = { ...stored.refund, attempts: stored.refund.attempts + 1, leaseUntil: leaseFrom(at) };
        searchFirst = true;
      }
      try {
        await writeRefund(ledger, leased, stored.version);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException && attempt < MAX_WRITE_ATTEMPTS) continue;
        throw error;
      }
      return post(leased, stored.version + 1, searchFirst, { text, timezone: account.timezone }, deps, audit);
    }
  },
});

/** Holding the lease: find the earlier attempt's message, or post; then record where it is. */
async function post(
  record: RefundRecord,
  version: number,
  searchFirst: boolean,
  { text, timezone }: { text: string; timezone: string },
  { ledger, now, logger, ports }: PlaybookDeps,
  audit: Record<string, unknown> & { rule: LossRuleFacts },
) {
  try {
    const found = searchFirst ? await ports.finance.findRefundRequest({ idempotencyKey: record.id, accountId: record.accountId, since: record.createdAt }) : undefined;
    const message = found ?? (await ports.finance.postRefundRequest({ idempotencyKey: record.id, accountId: record.accountId, caseId: record.caseId, text }));
    const at = now();
    await writeRefund(ledger, { ...record, status: 'posted', message, postedAt: formatLocalIso(at, timezone), leaseUntil: at.toISOString(), foundInHistory: found !== undefined }, version);
    logger.info(found ? 'refund request found in the finance channel, recorded' : 'refund requested in the finance channel', { ...audit, attempt: record.attempts, slackMessage: message });
    return { refundId: record.id, status: found ? ('found-posted' as const) : ('requested' as const), message };
  } catch (error) {
    // This attempt posts nothing more: release its lease, so that the retry need not wait for it to expire.
    await writeRefund(ledger, { ...record, leaseUntil: now().toISOString() }, version).catch(() => undefined);
    throw error;
  }
}
