import { seal } from '../adapters/sealed.ts';
import { DetailSchemas, type Sealed } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import {
  formatCallBrief,
  formatDetractorContext,
  formatEscalation,
  formatPlanReviewBrief,
  touchpointHistorySince,
  type DetractorContext,
} from '../core/nps/detractor-context.ts';
import { detractorEscalation, escalatesToTeamLead, type EscalationReason } from '../core/nps/escalation.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** What the playbook carries on: the escalation decision, and its tasks' bodies sealed (they name people), never their texts. */
export interface GatheredDetractorContext {
  /** The detractor-context-review task's body: the 360° context. */
  details: Sealed;
  /** True when the team lead gets a copy: ARR at stake or the champion answered, and the account has a team lead. */
  escalate: boolean;
  /** Why it is warranted, team lead or not. */
  escalation: EscalationReason[];
  /** The team lead's copy: why it is theirs, then the context. Empty when not escalated. */
  escalationDetails: Sealed | '';
  /** The bodies of the later tasks, written now while the answer is at hand. */
  callDetails: Sealed;
  reviewDetails: Sealed;
}

/**
 * Read what the system holds about a detractor's account (the account, its NPS answers, open risks
 * and touchpoints of the last year) and seal the texts of the detractor's tasks in the
 * ledger (create-task files them by id), with the escalation decision (seed 003 steps 1, 3 and 5).
 */
export const gatherDetractorContext = definePlaybookFunction({
  id: 'gather-detractor-context',
  input: z.object({ detail: DetailSchemas.NpsResponseReceived, band: z.string().check(z.minLength(1)) }),
  async run({ detail, band }, { ledger, settings, logger, now }): Promise<GatheredDetractorContext> {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const historySince = touchpointHistorySince(detail.respondedAt);
    const [answers, openRisks, touchpoints] = await Promise.all([
      ledger.npsResponses(account.id),
      ledger.openRisks(account.id),
      ledger.touchpointsSince(account.id, historySince),
    ]);
    const escalation = detractorEscalation(account, detail.contactId, settings.nps.escalationArr);
    const escalate = escalatesToTeamLead(account, escalation);
    const context: DetractorContext = {
      account,
      answer: { ...detail, band },
      answers,
      openRisks,
      touchpoints,
      escalation,
      escalationArr: settings.nps.escalationArr,
    };
    // Ids and counts only: the texts name people.
    logger.info('detractor context gathered', {
      accountId: account.id,
      eventId: detail.eventId,
      answers: answers.length,
      openRisks: openRisks.length,
      touchpoints: touchpoints.length,
      escalation,
      escalate,
    });
    const at = now();
    const sealed = (name: string, text: string) => seal(ledger, account.id, detail.eventId, name, text, at);
    return {
      details: await sealed('details', formatDetractorContext(context)),
      escalate,
      escalation,
      escalationDetails: escalate ? await sealed('escalationDetails', formatEscalation(context)) : '',
      callDetails: await sealed('callDetails', formatCallBrief(context)),
      reviewDetails: await sealed('reviewDetails', formatPlanReviewBrief(context)),
    };
  },
});
