import { isLive, isOwnClaim, wakeUpOf, type Held, type HeldDecision, type HolderToken, type WakeUpOutcome } from '../checks/held-check.ts';
import type { CheckClock } from './schedule.ts';

/**
 * The account's 91-day check as the ledger keeps it: one record per account (docs/playbooks.md, no-contact:
 * "at most one live check per account"), held by one chain of executions at a time, the mechanism every
 * held check shares (core/checks/held-check.ts: holder, generation, lease, hand-over, failure).
 */

/** The prefix of the names of the check's handed-over executions (core/checks/held-check.ts handOverName). */
export const NO_CONTACT_EXECUTIONS = 'nc';

/**
 * What the count started from: a logged touchpoint, the signature, the day the account was imported
 * into the ledger, or, with none of these known, when the check first saw it.
 */
export type CountFrom = 'touchpoint' | 'signed' | 'imported' | 'first-seen';

/** `waiting` for the due date; `reminding`: the outreach is set, waiting for the reminder's date. */
export type CheckPhase = 'waiting' | 'reminding';

/** A holder's decision after a wake-up, kept so that a retried step answers it again. */
export interface CheckDecision extends HeldDecision {
  decision: 'wait' | 'outreach' | 'remind';
  /** Why it waits again: its due date is ahead, or a touchpoint moved it (re-planned from that touchpoint). */
  why?: 'not-due' | 'touchpoint';
  /** The count the outreach or reminder is about (`countId` of its start): the reason of both tasks. */
  cycle: string;
}

/** `ended` (core/checks/held-check.ts): the reminder is set and no touchpoint came; the next touchpoint starts a new count. */
export interface NoContactCheck extends Held {
  /** The latest touchpoint known (never in the future), or where the count started when none is on file. */
  lastTouchpointAt: string;
  countFrom: CountFrom;
  /** The start of the count the holder plans from: it only moves forward, to a later touchpoint. */
  cycleFrom: string;
  phase: CheckPhase;
  /** `reminding`: when the outreach was decided; the reminder counts from it. */
  outreachAt?: string;
  decided?: CheckDecision;
}

/**
 * The id of a count, from its start: the reason the outreach and the reminder are keyed on, so each is
 * created once per count. In UTC: the same instant stays the same count if the account changes zone.
 */
export function countId(cycleFrom: string): string {
  return `count-from-${new Date(cycleFrom).toISOString()}`;
}

/** When the count starts for an event: what it says about the last contact, never in the future. */
export interface ContactSignal {
  at: Date;
  from: CountFrom;
}

export function notAfter(at: Date, now: Date): Date {
  return at.getTime() <= now.getTime() ? at : now;
}

/**
 * Where an account's count starts when an AccountUpdated (not a touchpoint) reaches the check: the
 * later of its latest logged touchpoint, its contract signature (`signedAt`) and the day the ledger
 * first learned of it (`importedAt`): an account signed in 2019 and imported today is counted from
 * today, so a portfolio import never floods the CSMs with outreach for history nobody watched. With
 * none of these known, from when the check first sees it (the event's time). Never in the future.
 */
export function countStart(request: { latestTouchpointAt?: string | undefined; signedAt?: string | undefined; importedAt?: string | undefined; seenAt: Date; now: Date }): ContactSignal {
  const { latestTouchpointAt, signedAt, importedAt, seenAt, now } = request;
  const known: ContactSignal[] = [
    ...(latestTouchpointAt ? [{ at: new Date(latestTouchpointAt), from: 'touchpoint' as const }] : []),
    ...(signedAt ? [{ at: new Date(signedAt), from: 'signed' as const }] : []),
    ...(importedAt ? [{ at: new Date(importedAt), from: 'imported' as const }] : []),
  ];
  const latest = known.reduce<ContactSignal | undefined>((later, signal) => (later && later.at.getTime() >= signal.at.getTime() ? later : signal), undefined);
  const start = latest ?? { at: seenAt, from: 'first-seen' as const };
  return { at: notAfter(start.at, now), from: start.from };
}

/**
 * A touchpoint logged for an account: it starts a count from its time, unless the account was imported
 * after it (a call from before the import, delivered late): then from the import, as `countStart`.
 */
export function touchpointSignal(at: string, importedAt: string | undefined): ContactSignal {
  const touchpoint = new Date(at);
  return importedAt && Date.parse(importedAt) > touchpoint.getTime() ? { at: new Date(importedAt), from: 'imported' } : { at: touchpoint, from: 'touchpoint' };
}

export type StartDecision =
  /** This execution holds the check: it waits until `check.wakeAt`. `write` false: a retry of its own claim. */
  | { action: 'claimed'; check: NoContactCheck; write: boolean }
  /** A live check exists; the event's touchpoint is newer, and is recorded for the holder to re-plan from. */
  | { action: 'noted'; check: NoContactCheck }
  /** Nothing to do: the same or an older touchpoint (`live`), or an ended check with no newer touchpoint (`ended`). */
  | { action: 'unchanged'; why: 'live' | 'ended' };

export interface StartRequest {
  accountId: string;
  stored: NoContactCheck | undefined;
  /** The contact the event tells of (a touchpoint), or where the count starts (an account update). */
  signal: ContactSignal;
  /** `$$.Execution.Name` of the execution that runs the start. */
  execution: string;
  clock: CheckClock;
}

/**
 * A TouchpointLogged or an AccountUpdated reaches the check. With no live check, this execution claims
 * it; with one, a newer touchpoint is written on it and the holder re-plans when it wakes; anything
 * else changes nothing. Only a touchpoint moves a count: a signature or a first sighting only starts one.
 */
export function decideOnStart({ accountId, stored, signal, execution, clock }: StartRequest): StartDecision {
  const at = notAfter(signal.at, clock.now);
  if (!stored) {
    const from = clock.local(at);
    return claim({ accountId, lastTouchpointAt: from, countFrom: signal.from, cycleFrom: from, phase: 'waiting' }, execution, clock);
  }
  // A retried start of the execution that claimed the check: the same answer, nothing to write.
  if (isOwnClaim(stored, execution)) {
    return { action: 'claimed', check: stored, write: false };
  }
  const newer = signal.from === 'touchpoint' && at.getTime() > Date.parse(stored.lastTouchpointAt);
  if (isLive(stored, clock.now)) {
    if (!newer) return { action: 'unchanged', why: 'live' };
    return { action: 'noted', check: { ...stored, lastTouchpointAt: clock.local(at), countFrom: 'touchpoint' } };
  }
  if (stored.status === 'ended' && !newer) return { action: 'unchanged', why: 'ended' };
  if (newer) {
    // A new count from the newer touchpoint (after an ended check, or over a failed or lost holder).
    const from = clock.local(at);
    return claim({ accountId, lastTouchpointAt: from, countFrom: 'touchpoint', cycleFrom: from, phase: 'waiting' }, execution, clock);
  }
  // The holder failed or is gone: resume where it was, same count, so its tasks (keyed on the count) stay one each.
  const { accountId: _, lastTouchpointAt, countFrom, cycleFrom, phase, outreachAt } = stored;
  return claim({ accountId, lastTouchpointAt, countFrom, cycleFrom, phase, ...(outreachAt ? { outreachAt } : {}) }, execution, clock);
}

type CountState = Pick<NoContactCheck, 'accountId' | 'lastTouchpointAt' | 'countFrom' | 'cycleFrom' | 'phase' | 'outreachAt'>;

function claim(count: CountState, execution: string, clock: CheckClock): StartDecision {
  const due = count.phase === 'reminding' && count.outreachAt ? clock.reminderDue(new Date(count.outreachAt)) : clock.outreachDue(new Date(count.cycleFrom));
  const check: NoContactCheck = { ...count, status: 'live', holder: execution, generation: 0, wakeAt: clock.local(clock.wakeUpFor(due)) };
  return { action: 'claimed', check, write: true };
}

/** Superseded: taken over, handed over already, ended or failed. */
export type AfterWakeUp = WakeUpOutcome<NoContactCheck, CheckDecision>;

export interface WakeUpRequest {
  stored: NoContactCheck | undefined;
  token: HolderToken;
  /** The latest touchpoint the ledger has filed for the account: read at every wake-up (exit on goal). */
  latestTouchpointAt?: string | undefined;
  clock: CheckClock;
}

/**
 * The holder wakes up and re-reads (invariant 5). The last contact is the later of what the record
 * was told and what the ledger filed, so the delivery order of events does not matter.
 * - waiting: a touchpoint after the count's start → count again from it; the due date reached →
 *   outreach; otherwise → wait (hand over).
 * - reminding: a touchpoint after the count's start → the goal is met, no reminder, a new count from
 *   it; the reminder's date reached → reminder, and the check ends; otherwise → wait.
 * Each wait and the outreach hand over to the next generation; the decision is written before the
 * playbook acts on it, and a retried step gets the same answer from the record.
 */
export function decideAfterWakeUp({ stored, token, latestTouchpointAt, clock }: WakeUpRequest): AfterWakeUp {
  const wakeUp = wakeUpOf(stored, token);
  if (wakeUp.as === 'superseded') return { decision: 'superseded' };
  if (wakeUp.as === 'retry') return { decision: wakeUp.decided.decision, decided: wakeUp.decided, check: undefined };
  stored = wakeUp.check;

  const now = clock.now;
  const ledgerLast = latestTouchpointAt ? notAfter(new Date(latestTouchpointAt), now) : undefined;
  const last = ledgerLast && ledgerLast.getTime() > Date.parse(stored.lastTouchpointAt) ? ledgerLast : new Date(stored.lastTouchpointAt);
  const touched = last.getTime() > Date.parse(stored.cycleFrom);
  const lastTouchpointAt = clock.local(last);
  const countFrom = touched || ledgerLast === last ? 'touchpoint' : stored.countFrom;
  const base = { ...stored, lastTouchpointAt, countFrom } satisfies NoContactCheck;

  if (stored.phase === 'reminding' && !touched) {
    const reminderDue = clock.reminderDue(new Date(stored.outreachAt ?? stored.cycleFrom));
    if (now.getTime() >= reminderDue.getTime()) {
      const decided: CheckDecision = { generation: token.generation, decision: 'remind', cycle: countId(stored.cycleFrom) };
      const { wakeAt: _, ...ended } = base;
      return { decision: 'remind', decided, check: { ...ended, status: 'ended', decided } };
    }
    return handOver(base, token, 'wait', 'not-due', reminderDue, clock);
  }

  // Waiting, or reminding when a touchpoint met the goal: count from the latest contact.
  const { outreachAt: _, ...count } = base;
  const counting: NoContactCheck = touched ? { ...count, phase: 'waiting', cycleFrom: lastTouchpointAt } : { ...count, phase: 'waiting' };
  const due = clock.outreachDue(new Date(counting.cycleFrom));
  if (now.getTime() >= due.getTime()) {
    const reminding: NoContactCheck = { ...counting, phase: 'reminding', outreachAt: clock.local(now) };
    return handOver(reminding, token, 'outreach', undefined, clock.reminderDue(now), clock);
  }
  return handOver(counting, token, 'wait', touched ? 'touchpoint' : 'not-due', due, clock);
}

function handOver(
  check: NoContactCheck,
  token: HolderToken,
  decision: 'wait' | 'outreach',
  why: CheckDecision['why'],
  due: Date,
  clock: CheckClock,
): AfterWakeUp {
  const next = { generation: token.generation + 1, wakeAt: clock.local(clock.wakeUpFor(due)) };
  const decided: CheckDecision = { generation: token.generation, decision, cycle: countId(check.cycleFrom), next, ...(why ? { why } : {}) };
  return { decision, decided, check: { ...check, generation: next.generation, wakeAt: next.wakeAt, decided } };
}
