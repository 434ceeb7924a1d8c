import { executionName } from '../tasks/identity.ts';

/**
 * A long-lived check per account (the 91-day no-contact check, the usage check): one record per account
 * and kind in the ledger, held by one chain of executions at a time. This is the mechanism they share;
 * what each one counts and decides is its own (core/no-contact/check.ts, core/usage/usage-check.ts).
 *
 * The holder is the execution that claimed the check (`holder`, its name) and `generation` counts its
 * hand-overs: each execution waits one slice at most (core/checks/wake-up.ts), then starts the next one
 * (generation + 1) and ends, so a redeploy reaches a waiting check within a slice and no execution nears
 * Step Functions' one-year limit. Every step of a holder carries `{ holder, generation }`; the record
 * answers only the one that matches, so an execution whose check was taken over, or that a duplicate
 * start left behind, exits at its next wake-up without an effect. Every write is conditioned on the
 * version read (functions/adapters/held-checks.ts).
 */

/**
 * `live`: a holder waits. `ended`: nothing left to watch until the account's next event starts a new
 * count. `failed`: the holder's execution failed after its retries (its CSM has a manual-follow-up task);
 * the account's next event resumes the check.
 */
export type CheckStatus = 'live' | 'ended' | 'failed';

/** A holder's decision after a wake-up, as the record keeps it so that a retried step answers it again. */
export interface HeldDecision {
  /** The generation that decided. */
  generation: number;
  /** When it hands over: the next generation and when it wakes. */
  next?: { generation: number; wakeAt: string };
}

/** What every held check keeps, whatever it watches. */
export interface Held {
  accountId: string;
  status: CheckStatus;
  holder: string;
  generation: number;
  /** `live`: when the holder wakes up next. Long past it, the holder is presumed gone (`LEASE_GRACE_MS`). */
  wakeAt?: string;
  decided?: HeldDecision;
}

/** A holder's identity, as its executions carry it. */
export interface HolderToken {
  holder: string;
  generation: number;
}

/**
 * How late a live holder may be past its wake-up before a new start takes the check over: the longest
 * a waking step retries (an account missing for an hour, a throttled table) fits many times over. A
 * holder that was stopped, timed out or lost its hand-over leaves the account unchecked only until the
 * account's next event after this grace.
 */
export const LEASE_GRACE_MS = 86_400_000;

/** Live: held by an execution that is not past its wake-up by more than the grace. */
export function isLive(check: Held, now: Date): boolean {
  return check.status === 'live' && (!check.wakeAt || now.getTime() <= Date.parse(check.wakeAt) + LEASE_GRACE_MS);
}

/**
 * What a holder's wake-up decides: `superseded` (not this execution's check any more: exit, no effect),
 * or the decision and the record to write (`check` undefined: a retry, already written).
 */
export type WakeUpOutcome<C extends Held, D extends HeldDecision & { decision: string }> =
  | { decision: 'superseded' }
  | { decision: D['decision']; decided: D; check: C | undefined };

/**
 * A retried start of the execution that claimed the check: the record is its own claim, untouched
 * since (generation 0, no decision yet).
 */
export function isOwnClaim(stored: Held, execution: string): boolean {
  return stored.holder === execution && stored.generation === 0 && stored.status === 'live' && !stored.decided;
}

/**
 * A holder wakes up and asks the record whether it still holds the check:
 * - `superseded`: another holder or generation (taken over, handed over already, ended or failed): exit, no effect;
 * - `retry`: this generation decided already (a retried step): answer the recorded decision again;
 * - `proceed`: it holds the check and decides now.
 */
export function wakeUpOf<C extends Held>(stored: C | undefined, token: HolderToken): { as: 'superseded' } | { as: 'retry'; decided: NonNullable<C['decided']> } | { as: 'proceed'; check: C } {
  if (!stored || stored.holder !== token.holder) return { as: 'superseded' };
  if (stored.decided?.generation === token.generation) return { as: 'retry', decided: stored.decided as NonNullable<C['decided']> };
  if (stored.generation !== token.generation || stored.status !== 'live') return { as: 'superseded' };
  return { as: 'proceed', check: stored };
}

/**
 * The record after the holder's execution failed for good (its Catch path): `failed`, so that the
 * account's next event resumes the check rather than finding it held by an execution that will never
 * wake. Only the execution the record names may say so, once. `undefined`: nothing to write.
 */
export function checkFailed<C extends Held>(stored: C | undefined, token: HolderToken): C | undefined {
  if (!stored || stored.holder !== token.holder || stored.status === 'failed') return undefined;
  const ours = stored.generation === token.generation || stored.decided?.generation === token.generation;
  if (!ours) return undefined;
  const { wakeAt: _, ...rest } = stored;
  return { ...rest, status: 'failed' } as C;
}

/**
 * The name of the execution a holder hands its check over to. Derived from the kind's prefix, the
 * account, the holder and the generation, so a retried hand-over asks for the same name with the same
 * input, which Step Functions answers with the execution already started (StartExecution is idempotent
 * on name and input for Standard workflows), and never starts a second one. Execution names are 1–80
 * characters among letters, digits, `-` and `_`; the account id is kept readable for the console.
 */
export function handOverName(prefix: string, accountId: string, token: HolderToken): string {
  return executionName(prefix, accountId, [accountId, token.holder], 16, String(token.generation));
}

/** The input of a handed-over execution: the check it holds, which it waits for and re-reads. */
export interface HandOverInput {
  check: { accountId: string; holder: string; generation: number; wakeAt: string };
}
