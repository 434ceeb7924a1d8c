import { describe, expect, it, vi } from 'vitest';
import { awaitReply } from '../../functions/adapters/client-replies.ts';
import type { RosterEntry } from '../../functions/adapters/health-records.ts';
import type { DomainEvents } from '../../functions/adapters/domain-events.ts';
import type { DomainEventMessage } from '../../functions/contracts/index.ts';
import { rescoreAccounts } from '../../functions/health/rescore-accounts.ts';
import { scoreHealth } from '../../functions/health/score-health.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { depsAt, FRIDAY_MORNING, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// The health scorer against a real DynamoDB API: a degradation is decided with the score, written with
// it, and published after the write; a call that fails in between, and two scorers at once, still tell
// it once, under one id. The client e-mail that asks for a score counts at once.

useLocalLedger('health-scoring-test');

/** The stage's bus as the scorer sees it: what it was given to publish, and a publish that fails when told to. */
function bus({ failFirst = false } = {}): DomainEvents & { published: DomainEventMessage[] } {
  let fail = failFirst;
  const published: DomainEventMessage[] = [];
  return {
    published,
    async publish(messages) {
      if (fail) {
        fail = false;
        throw Object.assign(new Error('PutEvents failed'), { name: 'AwsServiceUnavailable' });
      }
      published.push(...messages);
    },
  };
}

const at = (minutes: number) => new Date(FRIDAY_MORNING.getTime() + minutes * 60_000);
const event = (type: string, detail: Record<string, unknown>) => ({ 'detail-type': type, detail });

/** A healthy account: a touchpoint today, the CSM's pulse of 5 and a promoter's answer, scored green. */
async function healthyAccount(label: string, events: DomainEvents) {
  const account = await givenAnAccount(label);
  await ledger.recordTouchpoint({ eventId: `evt-call-${label}`, accountId: account.id, channel: 'call', at: FRIDAY_MORNING.toISOString() });
  await invoke(scoreHealth, { ...depsAt(at(0)), events }, event('CsmPulseRecorded', { eventId: `evt-pulse-${label}`, accountId: account.id, csmId: 'csm-1', pulse: 5, at: FRIDAY_MORNING.toISOString() }));
  await invoke(scoreHealth, { ...depsAt(at(0)), events }, event('NpsResponseReceived', { eventId: `evt-promoter-${label}`, accountId: account.id, score: 10, respondedAt: FRIDAY_MORNING.toISOString() }));
  expect((await ledger.health.get(account.id)).health).toMatchObject({ band: 'green' });
  return account;
}
const detractor = (accountId: string, label: string, minutes: number) =>
  event('NpsResponseReceived', { eventId: `evt-detractor-${label}`, accountId, score: 0, respondedAt: at(minutes).toISOString(), comment: { sealed: 'sld-00000000000000000000', accountId } });

describe('the health scorer', () => {
  it('given the bus failing as the degradation is published, when Lambda retries the call, then it is published once, under the id written with the score', async () => {
    const events = bus();
    const account = await healthyAccount('retry', events);
    const failing = bus({ failFirst: true });

    await expect(invoke(scoreHealth, { ...depsAt(at(5)), events: failing }, detractor(account.id, 'retry', 5))).rejects.toThrow('PutEvents failed');
    const written = (await ledger.health.get(account.id)).health!;
    expect(written).toMatchObject({ band: 'yellow', unannounced: { cause: 'band-drop', band: 'yellow', measure: 'nps' } });

    await invoke(scoreHealth, { ...depsAt(at(6)), events: failing }, detractor(account.id, 'retry', 5));
    expect(failing.published.map(({ type, data }) => [type, data.eventId])).toEqual([['HealthDegraded', written.unannounced!.eventId]]);
    expect((await ledger.health.get(account.id)).health!.unannounced).toBeUndefined();
  });

  it('given two events of the account scored at once, then one degradation between them', async () => {
    const events = bus();
    const account = await healthyAccount('race', events);

    await Promise.all([
      invoke(scoreHealth, { ...depsAt(at(5)), events }, detractor(account.id, 'race', 5)),
      invoke(scoreHealth, { ...depsAt(at(5)), events }, event('TouchpointLogged', { eventId: 'evt-email-race', accountId: account.id, channel: 'email', at: at(5).toISOString() })),
    ]);
    expect(events.published.filter(({ type }) => type === 'HealthDegraded')).toHaveLength(1);
  });

  it('given a client e-mail, then the score counts it unanswered at once, before client-feedback records it; its reply counts it answered', async () => {
    const events = bus();
    const account = await healthyAccount('email', events);

    await invoke(scoreHealth, { ...depsAt(at(5)), events }, event('ClientFeedbackReceived', { eventId: 'evt-mail', accountId: account.id, contactId: 'ct-1', channel: 'email', kind: 'dissatisfaction', messageId: 'msg-1', receivedAt: at(5).toISOString() }));
    expect((await ledger.health.get(account.id)).health!.lines.find(({ measure }) => measure === 'support')).toMatchObject({ value: '0 open tickets, 1 client e-mail without a reply', points: 50 });

    await invoke(scoreHealth, { ...depsAt(at(9)), events }, event('ClientReplySent', { eventId: 'evt-reply', accountId: account.id, inReplyTo: 'msg-1', at: at(9).toISOString() }));
    expect((await ledger.health.get(account.id)).health!.lines.find(({ measure }) => measure === 'support')).toMatchObject({ value: '0 open tickets', points: 100 });
  });

  it('given a client e-mail waiting 29 days, then it counts; waiting 31 (answered by phone, never marked replied), then it no longer does', async () => {
    const events = bus();
    const account = await healthyAccount('old-email', events);
    await awaitReply(ledger, account.id, 'msg-recent', { executionId: 'exec-recent', token: 'token-recent', since: at(-29 * 24 * 60).toISOString() });
    await awaitReply(ledger, account.id, 'msg-old', { executionId: 'exec-old', token: 'token-old', since: at(-31 * 24 * 60).toISOString() });

    await invoke(scoreHealth, { ...depsAt(at(5)), events }, event('TouchpointLogged', { eventId: 'evt-note-old-email', accountId: account.id, channel: 'call', at: at(5).toISOString() }));
    expect((await ledger.health.get(account.id)).health!.lines.find(({ measure }) => measure === 'support')).toMatchObject({ value: '0 open tickets, 1 client e-mail without a reply', points: 50 });
  });

  it('given an account scored for the first time, then it is on the nightly roster, rescored every night; one without a score is there for its thresholds, on the day they are due', async () => {
    const events = bus();
    const account = await healthyAccount('roster', events);
    const unscored = await givenAnAccount('unscored');
    await invoke(scoreHealth, { ...depsAt(at(1)), events }, event('AccountUpdated', { eventId: 'evt-update', accountId: unscored.id }));

    const roster: RosterEntry[] = [];
    for (let after: string | undefined, more = true; more; ) {
      const page = await ledger.health.roster(after, 100);
      roster.push(...page.entries);
      after = page.next;
      more = page.next !== undefined;
    }
    expect(roster.find(({ accountId }) => accountId === account.id)).toMatchObject({ scored: true });
    // Nothing on file: no exchange for 42 days from the day the product first saw it.
    expect(roster.find(({ accountId }) => accountId === unscored.id)).toEqual({ accountId: unscored.id, scored: false, due: '2026-12-25' });
  });

  it('given an account without a score, then the night before its due day reads nothing of it, and the night of its due day raises its threshold, once', async () => {
    const events = bus();
    const quiet = await givenAnAccount('night-due');
    await invoke(scoreHealth, { ...depsAt(at(1)), events }, event('AccountUpdated', { eventId: 'evt-night-due', accountId: quiet.id }));
    const firstLook = (await ledger.health.get(quiet.id)).health!;
    expect(firstLook.due).toBe('2026-12-25');
    const night = async (instant: string) => {
      for (let after: string | undefined, more = true; more; ) {
        const page = (await invoke(rescoreAccounts, { ...depsAt(new Date(instant)), events }, { night: `nightly-${instant}`, ...(after ? { after } : {}) })) as { next?: string };
        after = page.next;
        more = page.next !== undefined;
      }
    };

    const reads = vi.spyOn(ledger, 'getAccount');
    await night('2026-12-24T02:00:00Z');
    // Not even read: the roster's entry says it is not due.
    expect(reads.mock.calls.filter(([accountId]) => accountId === quiet.id)).toEqual([]);
    reads.mockRestore();
    expect((await ledger.health.get(quiet.id)).health!.scoredAt).toBe(firstLook.scoredAt);

    await night('2026-12-25T02:00:00Z');
    await night('2026-12-26T02:00:00Z');
    const raised = events.published.filter(({ type, data }) => type === 'ThresholdReached' && data.accountId === quiet.id).map(({ data }) => data);
    expect(raised).toEqual([expect.objectContaining({ alertType: 'no-exchange', reading: 'No exchange for 42 days', since: '2026-12-25' })]);
  });
});
