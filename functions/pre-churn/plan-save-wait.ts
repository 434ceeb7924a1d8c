import { updatePreChurnCase } from '../adapters/pre-churn-cases.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { outcomeView, stopWaiting } from '../core/pre-churn/case.ts';
import { lateOutcomeDeadline, waitSeconds } from '../core/pre-churn/waits.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * How long the next wait for a case's outcome lasts (a Task's timeout cannot read the settings, so this
 * step computes it for `TimeoutSecondsPath`): the save until its deadline (`saveTimeoutDays` business
 * days, fixed when the case opened), then, after the team lead's escalation or the request for the
 * missing proof, `LATE_OUTCOME_DAYS`. Each wait's end is written on the case once, so a retried plan
 * waits as long. Phase `stop`, after the last wait timed out, ends the waiting on the case, unless an
 * outcome newer than `handled` was recorded in the meantime: then it hands that outcome over instead.
 * An outcome arriving after the waiting ended goes to a person (record-save-outcome).
 */
export const planSaveWait = definePlaybookFunction({
  id: 'plan-save-wait',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    caseId: z.string().check(z.minLength(1)),
    phase: z.enum(['save', 'late', 'proof', 'stop']),
    /** For `stop`: the outcome event the execution already acted on (empty: none). */
    handled: z.optional(z.string()),
  }),
  async run({ accountId, caseId, phase, handled = '' }, { ledger, now, settings, calendar, logger }) {
    const at = now();
    if (phase === 'stop') {
      const stop = await updatePreChurnCase(ledger, accountId, caseId, (record) => {
        if (!record?.opened) throw new Error(`Pre-churn case ${caseId} of account ${accountId} is not open`);
        const result = stopWaiting(record, handled, formatLocalIso(at, record.timezone));
        return { write: result.stopped && !record.waitingEnded ? result.record : undefined, result: result.stopped ? undefined : outcomeView(record) };
      });
      logger.info(stop ? 'an outcome came as the last wait ended: acted on' : 'no outcome: the case stays open, nobody waits for it any more', { accountId, caseId });
      return stop ? { phase, stopped: false, ...stop } : { phase, stopped: true, status: 'open' as const, eventId: handled };
    }
    const until = await updatePreChurnCase(ledger, accountId, caseId, (record) => {
      if (!record?.opened) throw new Error(`Pre-churn case ${caseId} of account ${accountId} is not open`);
      const planned = record.waits[phase];
      if (planned) return { result: planned };
      const end =
        phase === 'save' ? record.opened.saveDeadline : formatLocalIso(lateOutcomeDeadline(at, record.timezone, settings.businessHours.end, calendar), record.timezone);
      return { write: { ...record, waits: { ...record.waits, [phase]: end } }, result: end };
    });
    const timeoutSeconds = waitSeconds(new Date(until), at);
    logger.info('wait for the save outcome planned', { accountId, caseId, phase, until, timeoutSeconds });
    return { phase, until, timeoutSeconds };
  },
});
