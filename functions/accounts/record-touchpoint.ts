import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * File a call, meeting, e-mail exchange or QBR under the account, once per eventId: the goal
 * other playbooks check after their waits ("a call with that contact happened meanwhile").
 */
export const recordTouchpoint = definePlaybookFunction({
  id: 'record-touchpoint',
  input: z.object({ detail: DetailSchemas.TouchpointLogged }),
  async run({ detail }, { ledger, metrics }) {
    if (!(await ledger.getAccount(detail.accountId))) throw new AccountNotFound(detail.accountId);
    const { created } = await ledger.recordTouchpoint({
      eventId: detail.eventId,
      accountId: detail.accountId,
      contactId: detail.contactId,
      channel: detail.channel,
      at: detail.at,
    });
    if (created) metrics.addMetric(`Touchpoint_${detail.channel}`, 'Count', 1);
    return { accountId: detail.accountId, created };
  },
});
