import { seal } from '../adapters/sealed.ts';
import { FeedbackTopic } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { acknowledgementDeadline, clientRiskContext, responsibleRoles } from '../core/feedback/client-risk.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Meeting feedback (seed 000): the client risk's context, who must acknowledge it (each Responsible
 * role of its topics, the CSM staying owner), and when an unacknowledged one goes to the team lead:
 * `clientFeedback.acknowledgementDays` business days later, at the same local time. The context quotes
 * the client and the CSM: it is sealed (functions/adapters/sealed.ts), execution state carries its id.
 */
export const planClientRisk = definePlaybookFunction({
  id: 'plan-client-risk',
  input: z.object({
    eventId: z.string().check(z.minLength(1)),
    accountId: z.string().check(z.minLength(1)),
    text: z.optional(z.string()),
    quotes: z.optional(z.array(z.string())),
    recordingUrl: z.optional(z.string()),
    analysis: z.optional(z.string()),
    actionPlan: z.optional(z.string()),
    topics: z.optional(z.array(FeedbackTopic)),
  }),
  async run(feedback, { ledger, now, settings, calendar, logger }) {
    const account = await ledger.getAccount(feedback.accountId);
    if (!account) throw new AccountNotFound(feedback.accountId);
    const escalateAt = acknowledgementDeadline(now(), account, settings.clientFeedback.acknowledgementDays, calendar);
    const acknowledgements = responsibleRoles(feedback.topics ?? []).map((role) => ({ role, reason: `${feedback.eventId}:${role}` }));
    logger.info('client risk planned', { accountId: feedback.accountId, eventId: feedback.eventId, roles: acknowledgements.map((a) => a.role), escalateAt });
    const context = await seal(ledger, feedback.accountId, feedback.eventId, 'client-risk-context', clientRiskContext(feedback), now());
    return { context, acknowledgements, escalateAt };
  },
});
