import { describe, expect, it } from 'vitest';
import { ledger, useLocalLedger } from '../support/ledger-fixture.ts';

useLocalLedger('ledger-history-test');

const call = (eventId: string, at: string, accountId = 'acc-history') => ({ eventId, accountId, contactId: 'ct-1', channel: 'call' as const, at });

describe("an account's history in the ledger", () => {
  it('given touchpoints logged with different offsets and out of order, then they read back in time order from a given instant', async () => {
    await ledger.recordTouchpoint(call('evt-3', '2026-11-16T10:00:00-05:00')); // 15:00 UTC
    await ledger.recordTouchpoint(call('evt-1', '2026-11-16T09:00:00+01:00')); // 08:00 UTC
    await ledger.recordTouchpoint(call('evt-2', '2026-11-16T12:00:00+01:00')); // 11:00 UTC
    await ledger.recordTouchpoint(call('evt-0', '2026-11-10T09:00:00+01:00'));
    const since = await ledger.touchpointsSince('acc-history', '2026-11-16T00:00:00Z');
    expect(since.map((t) => t.eventId)).toEqual(['evt-1', 'evt-2', 'evt-3']);
  });

  it('given the same touchpoint delivered twice, then it is filed once', async () => {
    const first = await ledger.recordTouchpoint(call('evt-dup', '2026-11-17T09:00:00+01:00', 'acc-dup'));
    const second = await ledger.recordTouchpoint(call('evt-dup', '2026-11-17T09:00:00+01:00', 'acc-dup'));
    expect([first.created, second.created]).toEqual([true, false]);
    expect(await ledger.touchpointsSince('acc-dup', '2026-01-01T00:00:00Z')).toHaveLength(1);
  });

  it("given NPS answers and an open risk, then they read back for that account only", async () => {
    const answer = { accountId: 'acc-nps-history', contactId: 'ct-1', score: 3, band: 'detractor', respondedAt: '2026-11-16T10:00:00+01:00' };
    await ledger.recordNpsResponse({ ...answer, eventId: 'evt-a' });
    await ledger.recordNpsResponse({ ...answer, eventId: 'evt-b', score: 9, band: 'promoter' });
    await ledger.recordNpsResponse({ ...answer, eventId: 'evt-other', accountId: 'acc-someone-else' });
    await ledger.openRisk({ id: 'rsk-1', kind: 'churn-risk', accountId: 'acc-nps-history', status: 'open', origin: 'nps', openedAt: '2026-11-16T10:00:00+01:00' });
    expect((await ledger.npsResponses('acc-nps-history')).map((r) => r.eventId).sort()).toEqual(['evt-a', 'evt-b']);
    expect((await ledger.openRisks('acc-nps-history')).map((r) => r.kind)).toEqual(['churn-risk']);
    expect(await ledger.openRisks('acc-someone-else')).toEqual([]);
  });
});
