import { RiskKind } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { riskId } from '../core/tasks/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Open a risk unless one of that kind is already open for the account (one open per account and kind). */
export const openRisk = definePlaybookFunction({
  id: 'open-risk',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    kind: RiskKind,
    origin: z.string().check(z.minLength(1)),
    /** What raised it (e.g. the NPS event id). */
    reason: z.string().check(z.minLength(1)),
  }),
  async run({ accountId, kind, origin, reason }, { ledger, now, logger }) {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const { created, item } = await ledger.openRisk({
      id: riskId({ accountId, kind, reason }),
      kind,
      accountId,
      status: 'open',
      origin,
      reason,
      openedAt: formatLocalIso(now(), account.timezone),
    });
    logger.info(created ? 'risk opened' : 'risk already open', { accountId, riskId: item.id, kind, origin });
    return { riskId: item.id, created };
  },
});
