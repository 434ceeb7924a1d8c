import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Ledger } from './ledger.ts';
import type { Entity, ReplyMeeting, SlaBreach, Written } from './ledger-records.ts';
import { keys } from './table.ts';

/*
 * The first-reply items of the ledger (functions/adapters/table.ts: REPLY#<message>, SLA_BREACH#…),
 * here rather than on the Ledger class, so that only client-feedback's functions carry them.
 *
 * The execution waiting for a client e-mail's first reply and the reply itself meet on one item, each
 * with one atomic update that returns the item after it: whichever comes second sees the other, so the
 * execution is always resumed, however the events cross.
 */

/**
 * Register a waiting execution's task token; the answer says whether the reply came already. The first
 * waiter also stamps when the e-mail started waiting (`since`): the health score counts an e-mail still
 * without a reply for a while, not for ever (one answered by phone is never marked replied).
 */
export async function awaitReply(ledger: Ledger, accountId: string, messageKey: string, waiter: { executionId: string; token: string; since: string }): Promise<ReplyMeeting> {
  const key = keys.reply(accountId, messageKey);
  const register = () =>
    ledger.updateItem(key, {
      expression: 'SET waiters.#execution = :token',
      condition: 'attribute_exists(waiters)',
      names: { '#execution': waiter.executionId },
      values: { ':token': waiter.token },
    });
  try {
    return meetingOf(await register());
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The first waiter creates the map (a reply may have created the item already), then registers.
    await ledger.updateItem(key, {
      expression: 'SET waiters = if_not_exists(waiters, :none), since = if_not_exists(since, :since), entity = :entity',
      values: { ':none': {}, ':since': waiter.since, ':entity': 'reply' satisfies Entity },
    });
    return meetingOf(await register());
  }
}

/** Record a reply to a client e-mail; the first one wins. Returns who waits for it, if anyone does yet. */
export async function recordReply(ledger: Ledger, accountId: string, messageKey: string, at: string): Promise<ReplyMeeting> {
  return meetingOf(
    await ledger.updateItem(keys.reply(accountId, messageKey), {
      expression: 'SET repliedAt = if_not_exists(repliedAt, :at), entity = :entity',
      values: { ':at': at, ':entity': 'reply' satisfies Entity },
    }),
  );
}

/** Once per SLA and key: a retried step records (and counts) a breach once. */
export function recordSlaBreach(ledger: Ledger, breach: SlaBreach): Promise<Written<SlaBreach>> {
  return ledger.putOnce(keys.slaBreach(breach.accountId, breach.sla, breach.key), 'sla-breach', breach);
}

function meetingOf(item: Record<string, unknown>): ReplyMeeting {
  return { repliedAt: item.repliedAt as string | undefined, waiters: item.waiters as ReplyMeeting['waiters'] };
}
