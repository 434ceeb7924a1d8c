import type { RiskKind } from '../../contracts/index.ts';

/**
 * The renewal's branch, decided on its start day (docs/playbooks.md, renewal): at risk (the health score
 * red, or an open churn or downsell risk) comes first, whatever the account's size; then strategic (a
 * segment the team lists, or an ARR at or above its line); else standard. Each has its task.
 */
export type RenewalBranch = 'at-risk' | 'strategic' | 'standard';

export interface BranchSettings {
  strategicSegments: readonly string[];
  strategicArr: number;
}

export interface BranchFacts {
  band?: 'red' | 'yellow' | 'green' | undefined;
  openRisks: readonly RiskKind[];
  segment?: string | undefined;
  arr?: number | undefined;
}

export function renewalBranch(facts: BranchFacts, settings: BranchSettings): RenewalBranch {
  if (facts.band === 'red' || facts.openRisks.some((kind) => kind === 'churn-risk' || kind === 'downsell-risk')) return 'at-risk';
  if ((facts.segment !== undefined && settings.strategicSegments.includes(facts.segment)) || (facts.arr ?? 0) >= settings.strategicArr) return 'strategic';
  return 'standard';
}

/** The branch's task for the CSM; at risk, the team lead is told as well. */
export const BRANCH_TASK = {
  'at-risk': 'renewal-save-plan',
  strategic: 'renewal-executive-review',
  standard: 'renewal-proposal',
} as const satisfies Record<RenewalBranch, string>;
