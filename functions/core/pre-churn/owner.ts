import type { AccountRecord } from '../../contracts/index.ts';
import { resolveOwner, type Owner } from '../tasks/owner.ts';

/** The two people a pre-churn concerns: Sales, who sold, and the onboarding AM, who starts the client. */
export type PreChurnRole = 'sales' | 'onboarding';

export interface PreChurnOwnership {
  /** Who owns the save (and its tasks): the role and the person it resolves to. */
  owner: Owner;
  /** The role that owns it by the rule, even when the account names nobody in it (then the CSM stands in). */
  ownerRole: PreChurnRole;
  /** The other one, told directly: absent when the account names nobody else in that role. */
  informed?: { role: PreChurnRole; id: string } | undefined;
}

/**
 * seed 001: "Officiellement avant le WC le sales est responsable du sauvetage et après le WC l'AM
 * onboarding est responsable du sauvetage", and "Le sales doit prévenir la personne de l'onboarding ou
 * l'inverse". The welcome call counts as done when it took place at or before the request; one
 * scheduled later (or none on file) leaves Sales the owner.
 */
export function preChurnOwnership(account: AccountRecord, requestedAt: string): PreChurnOwnership {
  const welcomeCallDone = account.welcomeCallAt !== undefined && Date.parse(account.welcomeCallAt) <= Date.parse(requestedAt);
  const ownerRole: PreChurnRole = welcomeCallDone ? 'onboarding' : 'sales';
  const otherRole: PreChurnRole = welcomeCallDone ? 'sales' : 'onboarding';
  // resolveOwner falls back to the CSM when the account names nobody in the role: never an owner-less save.
  const owner = resolveOwner(ownerRole, account);
  const otherId = otherRole === 'sales' ? account.salesId : account.onboardingId;
  const informed = otherId && otherId !== owner.id ? { role: otherRole, id: otherId } : undefined;
  return { owner, ownerRole, informed };
}
