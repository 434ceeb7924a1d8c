import { isLive, isOwnClaim, wakeUpOf, type Held, type HeldDecision, type HolderToken, type WakeUpOutcome } from '../checks/held-check.ts';
import type { RenewalBranch } from './branch.ts';
import { dueMilestone, nextMilestone, renewalMilestones, type MilestoneId, type RenewalCalendarSettings } from './milestones.ts';

/**
 * The account's renewal check as the ledger keeps it (docs/playbooks.md, renewal): one record per
 * account, watching one renewal date, held by one chain of executions at a time (the mechanism every
 * held check shares, core/checks/held-check.ts). It wakes on the branch's day and each reminder's,
 * and ends once the renewal is recorded (`RenewalRecorded`), its last reminder is set, or its date passed.
 * A new renewal date (the CRM moved `renewalAt`) takes the check over and plans again from it.
 */

/** The prefix of the names of the check's handed-over executions (core/checks/held-check.ts handOverName). */
export const RENEWAL_EXECUTIONS = 'rn';

export type RenewalOutcome = 'renewed' | 'churned' | 'downsold';

export interface RenewalDecision extends HeldDecision {
  decision: 'wait' | 'start' | 'remind' | 'end';
  /** The renewal date it is about (the account's local date): with the milestone, the reason of its task. */
  renewal: string;
  milestone?: MilestoneId;
  /** start: the branch decided that day. */
  branch?: RenewalBranch;
  why?: 'not-due' | 'moved' | 'no-renewal' | 'passed' | 'recorded' | 'done';
}

export interface RenewalCheck extends Held {
  /** The renewal watched (`renewalAt` as the account had it when claimed or re-planned). */
  renewalAt: string;
  /** The milestones acted on (or folded into a later one) for that renewal. */
  done: MilestoneId[];
  branch?: RenewalBranch;
  /** The renewal recorded (`RenewalRecorded`): nothing more is asked for it. */
  recorded?: { outcome: RenewalOutcome; at: string; eventId: string };
  decided?: RenewalDecision;
}

/** The instants a renewal check needs, bound to one account and one `now`. */
export interface RenewalClock {
  now: Date;
  /** The account's local date of `now`. */
  today: string;
  /** The account's local date of an instant. */
  day(at: string): string;
  /** Something due on a local date: at the start of business hours, the first business day on or after it. */
  dueOn(day: string): Date;
  wakeUpFor(due: Date): Date;
  local(at: Date): string;
}

/**
 * The account's renewal date as a CRM update tells it: the update's own, unless the ledger holds one the
 * CRM set later (an older update delivered late, or redelivered, never moves the check back); the
 * ledger's when the update does not carry it (account-sync may write the update's a moment later).
 */
export function renewalDateOf(update: { renewalAt?: string | undefined; at: string }, ledger: { renewalAt?: string | undefined; setAt?: string | undefined }): string | undefined {
  if (update.renewalAt === undefined) return ledger.renewalAt;
  if (ledger.setAt !== undefined && Date.parse(ledger.setAt) > Date.parse(update.at)) return ledger.renewalAt;
  return update.renewalAt;
}

export type RenewalStart =
  /** This execution holds the check and waits until `check.wakeAt`; `write` false: a retry of its own claim. */
  | { action: 'claimed'; check: RenewalCheck; write: boolean; why?: 'moved' | 'resumed' }
  /** The renewal is recorded on the check: its holder ends at its next wake-up, and no reminder follows. */
  | { action: 'recorded'; check: RenewalCheck }
  | { action: 'unchanged'; why: 'no-renewal' | 'passed' | 'live' | 'ended' | 'recorded' | 'other-renewal' };

export interface RenewalStartRequest {
  accountId: string;
  stored: RenewalCheck | undefined;
  /** The account's renewal date as the event or the ledger tells it. */
  renewalAt: string | undefined;
  /** A `RenewalRecorded`: the renewal it records, and how it went. */
  recorded?: { outcome: RenewalOutcome; at: string; eventId: string; renewalAt: string } | undefined;
  execution: string;
  clock: RenewalClock;
  settings: RenewalCalendarSettings;
}

/**
 * An AccountUpdated or a RenewalRecorded reaches the account's renewal check. An update: with a renewal
 * date ahead and no live check of it, this execution claims the check (one live check per account and
 * renewal date); a live check of another date is taken over (the date moved: planned again). A
 * recorded renewal is written on its check (or on a check ended at once, when none watched it, or only
 * an earlier renewal's), so that no reminder follows, whichever arrives first; a record about a renewal
 * before the one watched changes nothing.
 */
export function decideRenewalStart({ accountId, stored, renewalAt, recorded, execution, clock, settings }: RenewalStartRequest): RenewalStart {
  const sameRenewal = (check: RenewalCheck | undefined, at: string) => check !== undefined && clock.day(check.renewalAt) === clock.day(at);
  if (recorded) {
    const { renewalAt: target, ...outcome } = recorded;
    if (sameRenewal(stored, target)) {
      if (stored!.recorded) return { action: 'unchanged', why: 'recorded' };
      const { wakeAt: _, ...rest } = stored!;
      return { action: 'recorded', check: { ...rest, status: 'ended', recorded: outcome } };
    }
    // The record of an earlier renewal than the one watched (the CRM moved on to the next one already).
    if (stored && clock.day(target) < clock.day(stored.renewalAt)) return { action: 'unchanged', why: 'other-renewal' };
    return { action: 'recorded', check: { accountId, status: 'ended', holder: execution, generation: 0, renewalAt: target, done: [], recorded: outcome } };
  }

  if (renewalAt === undefined) return { action: 'unchanged', why: 'no-renewal' };
  if (clock.day(renewalAt) < clock.today) return { action: 'unchanged', why: 'passed' };
  if (stored && isOwnClaim(stored, execution)) return { action: 'claimed', check: stored, write: false };
  if (sameRenewal(stored, renewalAt)) {
    if (stored!.recorded) return { action: 'unchanged', why: 'recorded' };
    if (isLive(stored!, clock.now)) return { action: 'unchanged', why: 'live' };
    // Failed, gone, or ended (its last reminder set, or the date cleared for a while and back): resume where
    // it was, so its tasks (one per milestone) stay one each; nothing left to do answers `ended`.
    return claim({ accountId, renewalAt, done: stored!.done, ...(stored!.branch ? { branch: stored!.branch } : {}) }, execution, clock, settings, 'resumed');
  }
  return claim({ accountId, renewalAt, done: [] }, execution, clock, settings, stored && isLive(stored, clock.now) ? 'moved' : undefined);
}

function claim(plan: Pick<RenewalCheck, 'accountId' | 'renewalAt' | 'done' | 'branch'>, execution: string, clock: RenewalClock, settings: RenewalCalendarSettings, why: 'moved' | 'resumed' | undefined): RenewalStart {
  const milestones = renewalMilestones(clock.day(plan.renewalAt), settings);
  const due = dueMilestone(milestones, plan.done, reachedBy(clock)) ? clock.now : undefined;
  const next = nextMilestone(milestones, plan.done, reachedBy(clock));
  const wakeFor = due ?? (next && clock.dueOn(next.day));
  if (!wakeFor) return { action: 'unchanged', why: 'ended' };
  const check: RenewalCheck = { ...plan, status: 'live', holder: execution, generation: 0, wakeAt: clock.local(clock.wakeUpFor(wakeFor)) };
  return { action: 'claimed', check, write: true, ...(why ? { why } : {}) };
}

export type RenewalAfterWakeUp = WakeUpOutcome<RenewalCheck, RenewalDecision>;

export interface RenewalWakeUpRequest {
  stored: RenewalCheck | undefined;
  token: HolderToken;
  /** The account's renewal date in the ledger now: read at every wake-up. */
  renewalAt: string | undefined;
  /** The branch the account is in today (read before deciding): kept if the decision is the start. */
  branchToday: RenewalBranch;
  clock: RenewalClock;
  settings: RenewalCalendarSettings;
}

/**
 * The holder wakes up and re-reads (exit on goal): the renewal recorded, gone or passed → the check
 * ends; its date moved → planned again from the new one; the branch's day reached → the branch; a
 * reminder's → the reminder; otherwise → wait. Each decision is written before the playbook acts on
 * it (a retried step gets it again from the record); the last reminder ends the check.
 */
export function decideRenewalWakeUp({ stored, token, renewalAt, branchToday, clock, settings }: RenewalWakeUpRequest): RenewalAfterWakeUp {
  const wakeUp = wakeUpOf(stored, token);
  if (wakeUp.as === 'superseded') return { decision: 'superseded' };
  if (wakeUp.as === 'retry') return { decision: wakeUp.decided.decision, decided: wakeUp.decided, check: undefined };
  let check = wakeUp.check;

  if (renewalAt === undefined) return end(check, token, 'no-renewal', clock);
  const moved = clock.day(renewalAt) !== clock.day(check.renewalAt);
  if (moved) {
    const { branch: _, ...rest } = check;
    check = { ...rest, renewalAt, done: [] };
  }
  if (check.recorded) return end(check, token, 'recorded', clock);
  const renewalDay = clock.day(check.renewalAt);
  if (clock.today > renewalDay) return end(check, token, 'passed', clock);
  const milestones = renewalMilestones(renewalDay, settings);
  const reached = reachedBy(clock);
  const due = dueMilestone(milestones, check.done, reached);
  if (due) {
    const done = [...check.done, due.act.id, ...due.folded];
    const start = due.act.id === 'start';
    const acted: RenewalCheck = { ...check, done, ...(start ? { branch: branchToday } : {}) };
    const decision = start ? 'start' : 'remind';
    const extra = { milestone: due.act.id, ...(start ? { branch: branchToday } : {}) };
    const next = nextMilestone(milestones, done, reached);
    if (!next) {
      const decided: RenewalDecision = { generation: token.generation, decision, renewal: renewalDay, ...extra };
      const { wakeAt: __, ...ended } = acted;
      return { decision, decided, check: { ...ended, status: 'ended', decided } };
    }
    return handOver(acted, token, decision, extra, clock.dueOn(next.day), clock);
  }
  const next = nextMilestone(milestones, check.done, reached);
  if (!next) return end(check, token, 'done', clock);
  return handOver(check, token, 'wait', { why: moved ? 'moved' : 'not-due' }, clock.dueOn(next.day), clock);
}

/** A milestone's day has come when its business moment has: 09:00 on the first business day on or after it. */
function reachedBy(clock: RenewalClock): (day: string) => boolean {
  return (day) => clock.now.getTime() >= clock.dueOn(day).getTime();
}

function end(check: RenewalCheck, token: HolderToken, why: NonNullable<RenewalDecision['why']>, clock: RenewalClock): RenewalAfterWakeUp {
  const decided: RenewalDecision = { generation: token.generation, decision: 'end', renewal: clock.day(check.renewalAt), why };
  const { wakeAt: _, ...rest } = check;
  return { decision: 'end', decided, check: { ...rest, status: 'ended', decided } };
}

function handOver(check: RenewalCheck, token: HolderToken, decision: RenewalDecision['decision'], extra: Partial<RenewalDecision>, due: Date, clock: RenewalClock): RenewalAfterWakeUp {
  const next = { generation: token.generation + 1, wakeAt: clock.local(clock.wakeUpFor(due)) };
  const decided: RenewalDecision = { generation: token.generation, decision, renewal: clock.day(check.renewalAt), ...extra, next };
  return { decision, decided, check: { ...check, generation: next.generation, wakeAt: next.wakeAt, decided } };
}
