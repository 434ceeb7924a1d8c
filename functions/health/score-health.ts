import { DetailSchemas, DetailType } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { FEEDS_HEALTH, type ScoredEvent } from '../core/health/account-health.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';
import { scoreAccount, type Scored } from './scoring.ts';


/**
 * Score the account an event moves (docs/playbooks.md, health), straight from the bus: the CSM's pulse
 * and a ticket's status are recorded first (the scorer keeps them), then the account is scored with the
 * event folded in (./scoring.ts). Reads the ids, figures and times of the event, never its texts: an NPS
 * comment or a client's e-mail stays sealed, unread. An account the ledger does not hold complete yet
 * (the CRM's first fields of it) is not scored: its next event will be.
 */
export const scoreHealth = definePlaybookFunction({
  id: 'score-health',
  input: z.object({
    'detail-type': z.enum(FEEDS_HEALTH),
    // The fields a measure reads, and only those: the rest (an NPS comment, a client's e-mail, sealed on the
    // bus) is dropped unread, so the scorer's role reads no sealed value. Each type's own are checked below.
    detail: z.object({
      eventId: z.string(),
      accountId: z.string(),
      score: z.optional(DetailSchemas.NpsResponseReceived.shape.score),
      respondedAt: z.optional(DetailSchemas.NpsResponseReceived.shape.respondedAt),
      at: z.optional(DetailSchemas.TouchpointLogged.shape.at),
      csmId: z.optional(DetailSchemas.CsmPulseRecorded.shape.csmId),
      pulse: z.optional(DetailSchemas.CsmPulseRecorded.shape.pulse),
      reasons: DetailSchemas.CsmPulseRecorded.shape.reasons,
      ticketId: z.optional(DetailSchemas.SupportTicketUpdated.shape.ticketId),
      status: z.optional(DetailSchemas.SupportTicketUpdated.shape.status),
    }),
  }),
  async run({ 'detail-type': type, detail }, deps): Promise<Scored | { accountId: string; skipped: string }> {
    const { ledger, calendar, logger } = deps;
    const { accountId, eventId } = detail;
    const account = await ledger.getAccount(accountId);
    if (!account) {
      logger.info('health not scored: the account is not complete in the ledger yet', { accountId, eventId, cause: type });
      return { accountId, skipped: 'account not complete in the ledger' };
    }
    const localDay = (at: string) => calendar.localDate(new Date(at), account.timezone);
    let event: ScoredEvent = { type: 'other' };
    if (type === DetailType.CsmPulseRecorded) {
      const pulse = DetailSchemas.CsmPulseRecorded.parse(detail);
      await ledger.health.recordPulse(accountId, { csmId: pulse.csmId, pulse: pulse.pulse, reasons: pulse.reasons ?? [], at: pulse.at, eventId });
    } else if (type === DetailType.SupportTicketUpdated) {
      const { ticketId, status, at } = DetailSchemas.SupportTicketUpdated.parse(detail);
      await ledger.health.recordTicket(accountId, { ticketId, status, at });
    } else if (type === DetailType.NpsResponseReceived && detail.score !== undefined && detail.respondedAt !== undefined) {
      event = { type, score: detail.score, at: detail.respondedAt, day: localDay(detail.respondedAt) };
    } else if (type === DetailType.TouchpointLogged && detail.at !== undefined) {
      event = { type, at: detail.at, day: localDay(detail.at) };
    }
    return scoreAccount(deps, account, { type, eventId, event });
  },
});

