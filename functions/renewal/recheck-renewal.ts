import { seal } from '../adapters/sealed.ts';
import type { Sealed } from '../contracts/index.ts';
import { formatUtcIso } from '../core/calendar/business-time.ts';
import { handOverName, type HandOverInput } from '../core/checks/held-check.ts';
import { AccountNotFound } from '../core/errors.ts';
import { BRANCH_TASK, renewalBranch, type BranchFacts } from '../core/renewal/branch.ts';
import { decideRenewalWakeUp, RENEWAL_EXECUTIONS, type RenewalDecision } from '../core/renewal/check.ts';
import { branchReason, describeBranchTask, describeReminder, describeTeamLeadNotice } from '../core/renewal/describe.ts';
import { noticeDay } from '../core/renewal/milestones.ts';
import { renewalClock } from '../core/renewal/schedule.ts';
import { HolderInput } from '../runtime/held-check-steps.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface RenewalRecheck {
  decision: RenewalDecision['decision'] | 'superseded';
  why?: RenewalDecision['why'];
  /** start and remind: the task to create, once per renewal date and milestone (`reason`). */
  task?: { kind: string; reason: string; details: Sealed };
  /** start, at risk: the team lead's word. */
  teamLead?: { reason: string; text: Sealed };
  /** The execution the check is handed over to, by name, and its input. */
  next?: { name: string } & HandOverInput;
}

/**
 * The holder of an account's renewal check wakes up (exit on goal): re-read the account's renewal date,
 * the check (a renewal recorded meanwhile), and what decides the branch (the health band, the open
 * risks); then the branch's task, a reminder, a wait, or the end. The decision is written before it is
 * returned; a retried step gets it again from the record, an execution no longer holding the check
 * `superseded`. Ids, kinds and sealed texts in the output.
 */
export const recheckRenewal = definePlaybookFunction({
  id: 'recheck-renewal',
  input: HolderInput,
  async run({ accountId, holder, generation }, { ledger, now, settings, calendar, logger, metrics }): Promise<RenewalRecheck> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const clock = renewalClock(now(), account, calendar);
    const [{ check: stored, version }, { health }, risks] = await Promise.all([ledger.renewalChecks.get(accountId), ledger.health.get(accountId), ledger.openRisks(accountId)]);
    const facts: BranchFacts & { score?: number | undefined } = { band: health?.band, score: health?.score, openRisks: risks.map(({ kind }) => kind), segment: account.segment, arr: account.arr };
    const token = { holder, generation };
    const after = decideRenewalWakeUp({ stored, token, renewalAt: account.renewalAt, branchToday: renewalBranch(facts, settings.renewal), clock, settings: settings.renewal });

    if (after.decision === 'superseded') {
      logger.info('renewal check no longer held by this execution: exit', { accountId, generation });
      return { decision: 'superseded' };
    }
    if (after.check) {
      await ledger.renewalChecks.write(after.check, version);
      metrics.addMetric(`Renewal_${after.decision}`, 'Count', 1);
    }
    const { decided } = after;
    logger.info('renewal check re-read', { accountId, generation, decision: decided.decision, why: decided.why, milestone: decided.milestone, branch: decided.branch, next: decided.next?.wakeAt });

    const next = decided.next && {
      name: handOverName(RENEWAL_EXECUTIONS, accountId, { holder, generation: decided.next.generation }),
      check: { accountId, holder, generation: decided.next.generation, wakeAt: formatUtcIso(new Date(decided.next.wakeAt)) },
    };
    const dates = { renewalDay: decided.renewal, noticeDay: noticeDay(decided.renewal, settings.renewal), today: clock.today };
    const reason = `renewal-${decided.renewal}-${decided.milestone}`;
    switch (decided.decision) {
      case 'start': {
        const branch = decided.branch!;
        const why = branchReason(branch, facts, settings.renewal);
        const task = { kind: BRANCH_TASK[branch], reason, details: await seal(ledger, accountId, reason, 'renewal-task', describeBranchTask(branch, dates, why), now()) };
        const teamLead = branch === 'at-risk' ? { reason, text: await seal(ledger, accountId, reason, 'renewal-team-lead', describeTeamLeadNotice(dates, why, account.csmId), now()) } : undefined;
        return { decision: 'start', task, ...(teamLead ? { teamLead } : {}), ...(next ? { next } : {}) };
      }
      case 'remind': {
        const task = { kind: 'renewal-reminder', reason, details: await seal(ledger, accountId, reason, 'renewal-task', describeReminder(dates, (after.check ?? stored)?.branch), now()) };
        return { decision: 'remind', task, ...(next ? { next } : {}) };
      }
      case 'wait':
        return { decision: 'wait', ...(decided.why ? { why: decided.why } : {}), next: next! };
      default:
        return { decision: 'end', ...(decided.why ? { why: decided.why } : {}) };
    }
  },
});
