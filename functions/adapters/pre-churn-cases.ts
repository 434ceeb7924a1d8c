import type { Logger } from '@aws-lambda-powertools/logger';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { BusinessCalendar } from '../core/calendar/business-time.ts';
import { OutsidePreChurnRule } from '../core/errors.ts';
import { checkLossRule } from '../core/pre-churn/rule.ts';
import { withStatus, type PreChurnCase } from '../core/pre-churn/case.ts';
import type { RefundRecord } from '../core/pre-churn/refund.ts';
import type { Ledger } from './ledger.ts';
import type { StoredPreChurnCase, StoredRefund } from './ledger-records.ts';
import { keys } from './table.ts';

/*
 * The pre-churn items of the ledger (functions/adapters/table.ts: PRE_CHURN#<case>, REFUND#<case>), each
 * written with optimistic concurrency. Here rather than on the Ledger class, so that only the functions
 * of the pre-churn playbook carry them in their bundles.
 */

export async function readPreChurnCase(ledger: Ledger, accountId: string, caseId: string): Promise<StoredPreChurnCase> {
  const { value, version } = await ledger.readVersioned<PreChurnCase>(keys.preChurnCase(accountId, caseId), 'record');
  return { record: value, version };
}

/**
 * Write the case if nobody wrote it since `readVersion` was read (0: if it does not exist yet). The
 * cancellation's execution, the executions parked on the outcome and the outcome's deliveries all
 * write it: a concurrent write throws ConditionalCheckFailedException, and the caller reads and decides
 * again, so that they meet in one order.
 */
export function writePreChurnCase(ledger: Ledger, record: PreChurnCase, readVersion: number): Promise<void> {
  return ledger.writeVersioned(keys.preChurnCase(record.accountId, record.id), 'pre-churn-case', 'record', record, readVersion);
}

export async function readRefund(ledger: Ledger, accountId: string, caseId: string): Promise<StoredRefund> {
  const { value, version } = await ledger.readVersioned<RefundRecord>(keys.refund(accountId, caseId), 'refund');
  return { refund: value, version };
}

/** Write the refund request if nobody wrote it since `readVersion` (0: create it, once per case). */
export function writeRefund(ledger: Ledger, refund: RefundRecord, readVersion: number): Promise<void> {
  return ledger.writeVersioned(keys.refund(refund.accountId, refund.caseId), 'refund', 'refund', refund, readVersion);
}

/** The writers of one case (its executions, the outcome's deliveries) settle within a few rounds. */
const MAX_WRITE_ATTEMPTS = 5;

/**
 * Read a case, decide, write what changed, conditioned on the version read; on a concurrent write,
 * read and decide again. `decide` gets the stored case (undefined: none yet) and answers what to
 * write (nothing: leave it) and what to return. The status is derived again on every write.
 */
export async function updatePreChurnCase<R>(
  ledger: Ledger,
  accountId: string,
  caseId: string,
  decide: (stored: PreChurnCase | undefined) => { write?: PreChurnCase | undefined; result: R },
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const { record, version } = await readPreChurnCase(ledger, accountId, caseId);
    const { write, result } = decide(record);
    if (!write) return result;
    try {
      await writePreChurnCase(ledger, withStatus(write), version);
      return result;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && attempt < MAX_WRITE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/**
 * The first move of a step that touches money or churns the account (the RETENTION case, the plan's
 * expiry): the case, if the loss rule allows it (within the window, lost, proof on file), whatever the
 * caller decided; otherwise `OutsidePreChurnRule`, logged with why and the facts checked, nothing written.
 */
export async function readCaseWithinLossRule(
  ledger: Ledger,
  { accountId, caseId, step }: { accountId: string; caseId: string; step: string },
  { windowDays, calendar, logger }: { windowDays: number; calendar: Pick<BusinessCalendar, 'localDate'>; logger: Pick<Logger, 'warn'> },
) {
  const { record } = await readPreChurnCase(ledger, accountId, caseId);
  const rule = checkLossRule(record, windowDays, calendar);
  if (!rule.allowed) {
    logger.warn(`${step} refused: outside the pre-churn rule`, { accountId, caseId, why: rule.why, rule: rule.facts });
    throw new OutsidePreChurnRule(caseId, rule.why);
  }
  return { record: record!, rule };
}
