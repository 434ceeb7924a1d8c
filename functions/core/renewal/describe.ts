import type { RiskKind } from '../../contracts/index.ts';
import { daysBetween } from '../calendar/business-time.ts';
import type { BranchFacts, BranchSettings, RenewalBranch } from './branch.ts';

/**
 * What the renewal's tasks tell the CSM (docs/playbooks.md, renewal): the dates first (the renewal, the
 * notice date, how far away), then why the account is in its branch and what the branch asks for. Figures,
 * dates and ids; the account's name is the task's title.
 */

export interface RenewalDates {
  renewalDay: string;
  noticeDay: string;
  today: string;
}

function dates({ renewalDay, noticeDay, today }: RenewalDates): string {
  const left = daysBetween(today, noticeDay);
  const notice = noticeDay === renewalDay ? '' : `, notice date ${noticeDay}`;
  return `Renewal on ${renewalDay}${notice}: ${left > 0 ? `${left} days to go` : left === 0 ? 'the notice date is today' : `the notice date passed ${-left} days ago`}.`;
}

const RISKS: Partial<Record<RiskKind, string>> = { 'churn-risk': 'a churn risk is open', 'downsell-risk': 'a downsell risk is open' };

/** Why the account is in its branch, in the words of the rule. */
export function branchReason(branch: RenewalBranch, facts: BranchFacts & { score?: number | undefined }, settings: BranchSettings): string {
  switch (branch) {
    case 'at-risk': {
      const why = [
        ...(facts.band === 'red' ? [`the health score is red${facts.score !== undefined ? ` (${facts.score})` : ''}`] : []),
        ...facts.openRisks.flatMap((kind) => (RISKS[kind] ? [RISKS[kind]] : [])),
      ];
      return `At risk: ${why.join(' and ')}.`;
    }
    case 'strategic':
      return facts.segment !== undefined && settings.strategicSegments.includes(facts.segment)
        ? `Strategic: the segment ${facts.segment} is one of renewal.strategicSegments.`
        : `Strategic: an ARR of ${facts.arr} is at or above renewal.strategicArr (${settings.strategicArr}).`;
    case 'standard':
      return 'Standard: not at risk, not strategic.';
  }
}

const ASKS: Record<RenewalBranch, string> = {
  'at-risk': 'Build the save plan before the notice date; your team lead is told.',
  strategic: 'Book the executive review: a meeting with the sponsor, a QBR on the value delivered.',
  standard: 'Send the renewal proposal.',
};

export function describeBranchTask(branch: RenewalBranch, renewal: RenewalDates, reason: string): string {
  return `${dates(renewal)} ${reason} ${ASKS[branch]}`;
}

/** The team lead's word when a renewal is at risk. */
export function describeTeamLeadNotice(renewal: RenewalDates, reason: string, csmId: string): string {
  return `${dates(renewal)} ${reason} ${csmId} has the renewal-save-plan task.`;
}

export function describeReminder(renewal: RenewalDates, branch: RenewalBranch | undefined): string {
  return `${dates(renewal)} It is not recorded yet${branch ? ` (branch: ${branch})` : ''}: where does it stand? Record it in the CRM once decided (renewed, churned, downsold); the reminders stop then.`;
}
