import { z } from '../contracts/zod.ts';
import { riskStillOpen } from '../core/nps/exit-goals.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Exit on goal after a wait (invariant 5): is the risk the playbook opened or joined (by its id) still open? */
export const findOpenRisk = definePlaybookFunction({
  id: 'find-open-risk',
  input: z.object({ accountId: z.string().check(z.minLength(1)), riskId: z.string().check(z.minLength(1)) }),
  async run({ accountId, riskId }, { ledger, logger }) {
    const open = riskStillOpen(await ledger.openRisks(accountId), riskId);
    logger.info(open ? 'risk still open' : 'risk closed', { accountId, riskId });
    return { open };
  },
});
