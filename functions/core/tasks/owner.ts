import type { AccountRecord, OwnerRole } from '../../contracts/index.ts';

export interface Owner {
  role: OwnerRole;
  id: string;
}

/**
 * Invariant 3, single Authority: every task has exactly one owner. A role the account does not
 * fill falls back to the CSM, who owns the account, so a task is never left without anyone.
 */
export function resolveOwner(role: OwnerRole, account: AccountRecord): Owner {
  const assigned: Record<OwnerRole, string | undefined> = {
    csm: account.csmId,
    teamLead: account.teamLeadId,
    sales: account.salesId,
    onboarding: account.onboardingId,
    strategist: account.strategistId,
    expert: account.expertId,
    // Support is a queue, not a person on the account record.
    support: 'support',
  };
  const id = assigned[role];
  return id ? { role, id } : { role: 'csm', id: account.csmId };
}
