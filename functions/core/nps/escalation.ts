import type { AccountRecord, Contact } from '../../contracts/index.ts';

/** Why a detractor answer goes to the team lead as well as the CSM. */
export type EscalationReason = 'arr' | 'champion';

/** The account's ARR: the CRM's figure when it sends one, else twelve months of MRR. */
export function annualRecurringRevenue(account: Pick<AccountRecord, 'arr' | 'mrr'>): number {
  return account.arr ?? account.mrr * 12;
}

/** The contact who answered, when the CRM knows them. */
export function respondentOf(account: Pick<AccountRecord, 'contacts'>, contactId: string): Contact | undefined {
  return account.contacts.find((contact) => contact.id === contactId);
}

/**
 * seed 003 steps 3 and 5: a detractor answer is escalated to the team lead when enough ARR is at
 * stake (ARR ≥ `escalationArr`, bound included) or when the detractor is the account's champion (the
 * renewal is at stake). No reason, no escalation.
 */
export function detractorEscalation(
  account: Pick<AccountRecord, 'arr' | 'mrr' | 'contacts'>,
  contactId: string,
  escalationArr: number,
): EscalationReason[] {
  const reasons: EscalationReason[] = [];
  if (annualRecurringRevenue(account) >= escalationArr) reasons.push('arr');
  if (respondentOf(account, contactId)?.role === 'champion') reasons.push('champion');
  return reasons;
}

/**
 * Whether the team lead gets their own context review: a reason to escalate, and a team lead on the
 * account. Without one, the task would fall back to the CSM (resolveOwner), a duplicate of the CSM's
 * own review: no escalation task then; the review says the escalation was warranted.
 */
export function escalatesToTeamLead(account: Pick<AccountRecord, 'teamLeadId'>, reasons: readonly EscalationReason[]): boolean {
  return reasons.length > 0 && Boolean(account.teamLeadId);
}
