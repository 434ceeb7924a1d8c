import type { EmailRecord, Ledger } from './ledger.ts';
import { ContractError } from '../contracts/zod.ts';

/**
 * The draft an approval is about, read from the ledger by its id: prepare-email recorded it, naming
 * the approval it waits for (derived from the same account, playbook and reason). A draft missing, or
 * prepared for another approval (a flow whose steps name different reasons, or one prepared in auto
 * mode), is a flow's mistake, never retried: send-email would read another decision than the one the
 * execution waited for.
 */
export async function draftUpForApproval(ledger: Ledger, accountId: string, emailId: string, approvalId: string): Promise<EmailRecord> {
  const draft = await ledger.getEmail(accountId, emailId);
  if (!draft) throw new ContractError('approval request', [`emailId: account ${accountId} has no e-mail ${emailId}: prepare-email records it first`]);
  if (draft.approvalId !== approvalId) {
    throw new ContractError('approval request', [
      `emailId: e-mail ${emailId} was ${draft.approvalId ? `prepared for approval ${draft.approvalId}` : 'prepared to be sent without approval'}, not for ${approvalId}: prepare it and plan its approval with the same playbook and reason`,
    ]);
  }
  return draft;
}
