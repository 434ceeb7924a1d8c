import { RiskKind } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { riskStillOpen } from '../core/nps/exit-goals.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Exit on goal after a wait (invariant 5): is the account's risk of that kind still open? */
export const findOpenRisk = definePlaybookFunction({
  id: 'find-open-risk',
  input: z.object({ accountId: z.string().check(z.minLength(1)), kind: RiskKind }),
  async run({ accountId, kind }, { ledger, logger }) {
    const open = riskStillOpen(await ledger.openRisks(accountId), kind);
    logger.info(open ? 'risk still open' : 'risk closed', { accountId, kind });
    return { open };
  },
});
