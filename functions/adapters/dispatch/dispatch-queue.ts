import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Ledger } from '../ledger.ts';
import type { MirrorAttribute } from '../ledger-records.ts';
import { keys, type ItemKey } from '../table.ts';
import type { DispatchCall } from './calls.ts';

/** What a delivered dispatch is kept for after its delivery: the audit of what went out, then TTL. */
const DELIVERED_KEPT_DAYS = 30;
/** How long a delivery may take before another drain may take the dispatch over (a Lambda that died). */
export const LEASE_SECONDS = 120;
const CLOCK_SKEW_MS = 5_000;

/**
 * A dispatch: what the ledger owes a vendor. Written by the step that wrote the ledger item (a task,
 * an alert, an e-mail), delivered by the dispatch drain (functions/dispatch), never by the step: a
 * vendor outage holds the dispatch, not the playbook.
 */
export interface Dispatch {
  /** `<item sort key>@<attribute>` for a mirror (once per item), the call's idempotency key otherwise. */
  id: string;
  accountId: string;
  call: DispatchCall;
  /** The ledger item that records the vendor's answer (the task's `crmId`…), for a mirror. */
  target?: { key: ItemKey; attribute: MirrorAttribute } | undefined;
  queuedAt: string;
  /** Attempts started so far. */
  attempts: number;
  /** Vendor, operation, status and code of the last failure: never a response's text. */
  lastError?: string | undefined;
  deliveredAt?: string | undefined;
  deadAt?: string | undefined;
  deadReason?: 'refused' | 'window-closed' | undefined;
  /** Present while due or dead: the sparse index's partition (TABLE_SCHEMA.dispatchIndex). */
  dispatchQueue?: 'due' | 'dead' | undefined;
  /** When it is due (UTC, fixed width: the index compares strings), or when it died. */
  dispatchDue?: string | undefined;
  leaseUntil?: string | undefined;
}

export type DispatchState = 'due' | 'dead' | 'delivered';

export function stateOf(dispatch: Dispatch): DispatchState {
  return dispatch.dispatchQueue ?? 'delivered';
}

const utc = (at: Date) => at.toISOString();

/** The ledger's dispatch records: queued once, leased by one drain at a time, then delivered or dead. */
export class DispatchQueue {
  constructor(private readonly ledger: Ledger) {}

  /**
   * Queue a call once per id: a retried step or a redelivered event finds it queued (or delivered) and
   * queues nothing. `created` says whether this call queued it.
   */
  async queue(dispatch: { id: string; accountId: string; call: DispatchCall; target?: Dispatch['target'] }, now: Date): Promise<{ created: boolean; dispatch: Dispatch }> {
    const item: Dispatch = { ...dispatch, queuedAt: utc(now), attempts: 0, dispatchQueue: 'due', dispatchDue: utc(now) };
    const { created, item: stored } = await this.ledger.putOnce(keys.dispatch(dispatch.accountId, dispatch.id), 'dispatch', item);
    return { created, dispatch: stored };
  }

  read(key: ItemKey): Promise<Dispatch | undefined> {
    return this.ledger.readItem<Dispatch>(key);
  }

  /** Keys of the dispatches due at `now`, earliest first. */
  due(now: Date, limit: number): Promise<ItemKey[]> {
    return this.ledger.dispatchKeys('due', utc(now), limit);
  }

  /** When the next due dispatch is due (for the sandbox's timer), if any is. */
  async nextDueAt(): Promise<Date | undefined> {
    const due = await this.ledger.earliestDispatch('due');
    return due === undefined ? undefined : new Date(due);
  }

  /** The dead letters, oldest first: what ops must look at (the report lists them, an alarm counts them). */
  async deadLetters(limit = 100): Promise<Dispatch[]> {
    const found = await this.ledger.dispatchKeys('dead', '9999', limit);
    const read = await Promise.all(found.map((key) => this.read(key)));
    return read.filter((dispatch): dispatch is Dispatch => dispatch !== undefined && dispatch.dispatchQueue === 'dead');
  }

  /**
   * Take a due dispatch for one delivery attempt, unless another drain holds it (its lease not run out)
   * or it is no longer due. Counts the attempt. Undefined: not ours to deliver now.
   */
  async lease(key: ItemKey, now: Date): Promise<Dispatch | undefined> {
    try {
      return (await this.ledger.updateItem(key, {
        expression: 'SET leaseUntil = :until, attempts = attempts + :one',
        condition: 'dispatchQueue = :due AND dispatchDue <= :soon AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
        // Due within a few seconds counts as due: the stream's drain may run on a clock a little behind the step's.
        values: { ':until': utc(new Date(now.getTime() + LEASE_SECONDS * 1000)), ':one': 1, ':due': 'due', ':now': utc(now), ':soon': utc(new Date(now.getTime() + CLOCK_SKEW_MS)) },
      })) as unknown as Dispatch;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Delivered: out of the index, kept 30 days for the audit, then expired by TTL. */
  async delivered(dispatch: Dispatch, now: Date): Promise<void> {
    await this.ledger.updateItem(keys.dispatch(dispatch.accountId, dispatch.id), {
      expression: 'SET deliveredAt = :at, expiresAt = :expires REMOVE dispatchQueue, dispatchDue, leaseUntil',
      values: { ':at': utc(now), ':expires': Math.floor(now.getTime() / 1000) + DELIVERED_KEPT_DAYS * 86_400 },
    });
  }

  /** Failed, to be tried again at `at`. */
  async retryAt(dispatch: Dispatch, at: Date, lastError: string): Promise<void> {
    await this.ledger.updateItem(keys.dispatch(dispatch.accountId, dispatch.id), {
      expression: 'SET dispatchDue = :at, lastError = :error REMOVE leaseUntil',
      values: { ':at': utc(at), ':error': lastError },
    });
  }

  /** Given up: a dead letter, in the index's `dead` partition until someone re-queues it. */
  async deadLetter(dispatch: Dispatch, reason: NonNullable<Dispatch['deadReason']>, lastError: string, now: Date): Promise<void> {
    await this.ledger.updateItem(keys.dispatch(dispatch.accountId, dispatch.id), {
      expression: 'SET dispatchQueue = :dead, dispatchDue = :at, deadAt = :at, deadReason = :reason, lastError = :error REMOVE leaseUntil',
      values: { ':dead': 'dead', ':at': utc(now), ':reason': reason, ':error': lastError },
    });
  }

  /** A dead letter due again now, with a fresh window (ops fixed the vendor's configuration): `false` when it is not dead. */
  async requeue(accountId: string, dispatchId: string, now: Date): Promise<boolean> {
    try {
      await this.ledger.updateItem(keys.dispatch(accountId, dispatchId), {
        expression: 'SET dispatchQueue = :due, dispatchDue = :now, queuedAt = :now, attempts = :zero REMOVE deadAt, deadReason',
        condition: 'dispatchQueue = :dead',
        values: { ':due': 'due', ':dead': 'dead', ':now': utc(now), ':zero': 0 },
      });
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
