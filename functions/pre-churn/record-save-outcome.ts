import { TaskTokenGone } from '../adapters/step-functions/task-callbacks.ts';
import { updatePreChurnCase } from '../adapters/pre-churn-cases.ts';
import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { isUnattended, newCase, outcomeView, recordOutcome, waitersToResume, type OutcomeRecording, type PreChurnCase, type PreChurnWaiter, type SaveOutcome } from '../core/pre-churn/case.ts';
import { outcomeFollowUpDetails } from '../core/pre-churn/describe.ts';
import { preChurnCaseId } from '../core/tasks/identity.ts';
import { definePlaybookFunction, type PlaybookDeps } from '../runtime/playbook-function.ts';

type FollowUp = 'late-outcome' | 'conflicting-outcome' | 'no-pre-churn-contract';

/**
 * A `SaveAttemptConcluded`: recorded on the contract's pre-churn case (the first conclusive outcome
 * wins: a conditional write, so a redelivery or a second message changes nothing), then every execution
 * parked on the case is resumed with it, once. An outcome that arrives before the cancellation is kept
 * for the wait to find. One that no execution will act on (the playbook stopped waiting, or the case was
 * concluded the other way) comes back as `followUp`, for a person.
 */
export const recordSaveOutcome = definePlaybookFunction({
  id: 'record-save-outcome',
  input: z.object({ detail: DetailSchemas.SaveAttemptConcluded }),
  async run({ detail }, deps) {
    const { ledger, now, logger, metrics } = deps;
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const outcomeFields = { outcome: detail.outcome, eventId: detail.eventId, at: detail.at, proofUrl: detail.proofUrl };
    if (!account.signedAt) {
      logger.info('save outcome for an account without a contract signature', { accountId: account.id, eventId: detail.eventId });
      return followUp('no-pre-churn-contract', 'csm', outcomeFields);
    }
    const caseId = preChurnCaseId({ accountId: account.id, signedAt: account.signedAt });
    const outcome: SaveOutcome = {
      eventId: detail.eventId,
      outcome: detail.outcome,
      ...(detail.proofUrl ? { proofUrl: detail.proofUrl } : {}),
      at: formatLocalIso(new Date(detail.at), account.timezone),
      recordedAt: formatLocalIso(now(), account.timezone),
    };
    const recording = await updatePreChurnCase<OutcomeRecording>(ledger, account.id, caseId, (stored) => {
      const record = stored ?? newCase({ id: caseId, accountId: account.id, signedAt: account.signedAt!, timezone: account.timezone });
      const recorded = recordOutcome(record, outcome);
      return { write: recorded.result === 'recorded' ? recorded.record : undefined, result: recorded };
    });
    if (recording.result === 'recorded') metrics.addMetric(`PreChurn_${recording.record.status}`, 'Count', 1);
    const { resumed, record } = await deliver(recording.record, deps);
    // Ids, statuses and counts only (the proof's link stays in the ledger).
    logger.info('save outcome', { accountId: account.id, caseId, eventId: detail.eventId, outcome: detail.outcome, result: recording.result, status: record.status, resumed });
    const ownerRole = record.opened?.ownerRole ?? 'csm';
    const base = { caseId, result: recording.result, status: record.status, resumed, ownerRole };
    if (recording.result === 'conflicting') return { ...base, ...followUp('conflicting-outcome', ownerRole, outcomeFields, record) };
    if (recording.result === 'recorded' && resumed === 0 && isUnattended(record, now())) return { ...base, ...followUp('late-outcome', ownerRole, outcomeFields) };
    return base;
  },
});

function followUp(why: FollowUp, ownerRole: string, outcome: Parameters<typeof outcomeFollowUpDetails>[1], concluded?: PreChurnCase) {
  return { followUp: why, ownerRole, followUpDetails: outcomeFollowUpDetails(why, outcome, concluded) };
}

/**
 * Resume every execution parked on the case that the outcome has not reached, once each (Step Functions
 * completes a token once), then write which it reached. Step Functions unreachable: the error goes to the
 * Task state's Retry, and the next attempt delivers what is left.
 */
async function deliver(record: PreChurnCase, { ledger, callbacks }: PlaybookDeps): Promise<{ resumed: number; record: PreChurnCase }> {
  const pending = waitersToResume(record);
  if (pending.length === 0) return { resumed: 0, record };
  if (!callbacks) throw new Error('record-save-outcome needs the task callbacks port to resume the executions waiting on the case');
  const view = outcomeView(record);
  const reached: Record<string, PreChurnWaiter['state']> = {};
  let unavailable: unknown;
  for (const executionId of pending) {
    try {
      await callbacks.sendTaskSuccess(record.waiters[executionId]!.token, view);
      reached[executionId] = 'resumed';
    } catch (error) {
      if (error instanceof TaskTokenGone) reached[executionId] = 'gone';
      else unavailable ??= error;
    }
  }
  const updated = await updatePreChurnCase(ledger, record.accountId, record.id, (stored) => {
    if (!stored) throw new Error(`Pre-churn case ${record.id} vanished while its outcome was delivered`);
    const waiters = Object.fromEntries(Object.entries(stored.waiters).map(([id, waiter]) => [id, reached[id] ? { ...waiter, state: reached[id] } : waiter]));
    const next = { ...stored, waiters };
    return { write: next, result: next };
  });
  if (unavailable) throw unavailable;
  return { resumed: Object.values(reached).filter((state) => state === 'resumed').length, record: updated };
}
