import { briefId } from '../core/tasks/identity.ts';
import type { Ledger } from './ledger.ts';

/** A task's body an earlier step wrote to the ledger (it names people): what create-task's `details` takes instead of the text. */
export interface BriefRef {
  brief: string;
}

/**
 * Write `text` as the brief `name` of `reason` (an event id, a check's count) and answer its reference:
 * execution state carries the id, create-task files the text. A retried step writes the same brief again.
 */
export async function writeBrief(ledger: Ledger, accountId: string, reason: string, name: string, text: string, at: Date): Promise<BriefRef> {
  const id = briefId({ accountId, eventId: reason, name });
  await ledger.putBrief(accountId, id, text, at.toISOString());
  return { brief: id };
}
