import { mirrorLater } from '../adapters/mirror.ts';
import { keys } from '../adapters/table.ts';
import { RiskKind } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { riskId } from '../core/tasks/identity.ts';
import { riskTitle } from '../core/tasks/titles.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Open a risk unless one of that kind is already open for the account (one open per account and
 * kind), in the ledger first, then as a deal in the CRM's retention pipeline, queued once (the dispatch
 * drain delivers it): a later run never moves back a deal the team has since moved.
 */
export const openRisk = definePlaybookFunction({
  id: 'open-risk',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    kind: RiskKind,
    origin: z.string().check(z.minLength(1)),
    /** What raised it (e.g. the NPS event id). */
    reason: z.string().check(z.minLength(1)),
    /** What the team reads about it (a client risk's notes, quotes, analysis and plan). Kept and mirrored, never logged. */
    context: z.optional(z.string().check(z.maxLength(20_000))),
  }),
  async run({ accountId, kind, origin, reason, context }, { ledger, now, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { created, item } = await ledger.openRisk({
      id: riskId({ accountId, kind, reason }),
      kind,
      accountId,
      status: 'open',
      origin,
      reason,
      ...(context ? { context } : {}),
      openedAt: formatLocalIso(now(), account.timezone),
    });
    logger.info(created ? 'risk opened' : 'risk already open', { accountId, riskId: item.id, kind, origin });
    await mirrorLater(
      ledger,
      { key: keys.openRisk(accountId, kind), mirrored: item.crmId },
      'crmId',
      {
        port: 'crm',
        method: 'upsertRisk',
        request: {
          idempotencyKey: item.id,
          accountId,
          kind,
          title: riskTitle(kind, account),
          status: 'open',
          reason: item.context ? `origin: ${item.origin}\n${item.context}` : `origin: ${item.origin}`,
          amountAtRisk: account.arr ?? account.mrr * 12,
        },
      },
      now(),
    );
    return { riskId: item.id, created };
  },
});
