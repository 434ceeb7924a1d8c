import { DetailSchemas } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { AccountNotFound } from '../core/errors.ts';
import { npsBand, type NpsBand } from '../core/nps/bands.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface RecordedNpsResponse {
  /** True when this answer (same eventId) was already recorded: the playbook stops there. */
  duplicate: boolean;
  band: NpsBand;
  accountId: string;
  contactId: string;
  score: number;
}

/** Record an NPS answer once (dedup on the vendor's eventId) and band it with the stage's preset. */
export const recordNpsResponse = definePlaybookFunction({
  id: 'record-nps-response',
  input: z.object({ detail: DetailSchemas.NpsResponseReceived }),
  async run({ detail }, { ledger, settings, metrics }): Promise<RecordedNpsResponse> {
    const account = await ledger.getAccount(detail.accountId);
    if (!account) throw new AccountNotFound(detail.accountId);
    const band = npsBand(detail.score, settings.nps.preset);
    const { created, item } = await ledger.recordNpsResponse({
      eventId: detail.eventId,
      accountId: detail.accountId,
      contactId: detail.contactId,
      score: detail.score,
      band,
      respondedAt: detail.respondedAt,
      comment: detail.comment,
    });
    if (created) metrics.addMetric(`NpsResponse_${band}`, 'Count', 1);
    return { duplicate: !created, band: item.band as NpsBand, accountId: item.accountId, contactId: item.contactId, score: item.score };
  },
});
