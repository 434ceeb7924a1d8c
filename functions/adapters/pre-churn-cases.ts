import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { withStatus, type PreChurnCase } from '../core/pre-churn/case.ts';
import type { Ledger } from './ledger.ts';

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
    const { record, version } = await ledger.getPreChurnCase(accountId, caseId);
    const { write, result } = decide(record);
    if (!write) return result;
    try {
      await ledger.writePreChurnCase(withStatus(write), version);
      return result;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && attempt < MAX_WRITE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** The case, which the step's caller opened: its absence is a wiring mistake, not a business outcome. */
export async function openedCase(ledger: Ledger, accountId: string, caseId: string): Promise<PreChurnCase & { opened: NonNullable<PreChurnCase['opened']> }> {
  const { record } = await ledger.getPreChurnCase(accountId, caseId);
  if (!record?.opened) throw new Error(`Pre-churn case ${caseId} of account ${accountId} is not open`);
  return record as PreChurnCase & { opened: NonNullable<PreChurnCase['opened']> };
}
