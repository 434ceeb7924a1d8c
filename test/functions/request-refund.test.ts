import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readRefund, writeRefund } from '../../functions/adapters/pre-churn-cases.ts';
import type { FinanceChannel, OutboundPorts } from '../../functions/adapters/ports.ts';
import { SlackFinanceChannel } from '../../functions/adapters/slack/slack-finance-channel.ts';
import { resolveSettings, type Settings } from '../../functions/contracts/index.ts';
import { REFUND_LEASE_MS } from '../../functions/core/pre-churn/refund.ts';
import { preChurnCaseId, refundId } from '../../functions/core/tasks/identity.ts';
import { openPreChurn, type OpenPreChurnResult } from '../../functions/pre-churn/open-pre-churn.ts';
import { recordSaveOutcome } from '../../functions/pre-churn/record-save-outcome.ts';
import { requestRefund } from '../../functions/refund/request-refund.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { upsertAccount } from '../../functions/accounts/upsert-account.ts';
import { accountUpdated, depsAt, failureOf, ledger, newAccountId, salonHorizon, useLocalLedger } from '../support/ledger-fixture.ts';
import { startLocalSlack, type LocalSlack } from '../support/vendors/slack.ts';

// request-refund against a real DynamoDB API (dynalite) and a local Slack Web API: the refund request of
// a lost pre-churn case reaches the finance channel exactly once, whether the step is repeated, crashes
// between the post and its record, races another attempt, or meets Slack throttling and outages; and
// it is refused, with nothing written or posted, outside the pre-churn rule.
useLocalLedger('cs-playbooks-request-refund-test');

const BOT_TOKEN = 'xoxb-local-test-token';
const FINANCE = 'C0FINANCE1';
const PROOF = 'https://files.example.com/proof/client-sms.png';
/** Signed Thursday 5 November 2026; the client asks to cancel a week later; the save fails on Friday the 13th. */
const SIGNED = '2026-11-05T15:00:00+01:00';
const REQUESTED = '2026-11-12T10:00:00+01:00';
const LOST_AT = new Date('2026-11-13T10:00:00+01:00');

let slack: LocalSlack;
let clock: Date;

beforeAll(async () => {
  slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [], privateChannels: [FINANCE], now: () => clock });
});
afterAll(() => slack?.close());
beforeEach(() => {
  clock = new Date(LOST_AT.getTime() + 60_000);
  slack.reset();
});

const slackFinance = (): FinanceChannel => new SlackFinanceChannel({ botToken: BOT_TOKEN, financeChannel: FINANCE, apiUrl: slack.apiUrl, now: () => clock });
const portsWith = (finance: FinanceChannel) => ({ finance }) as unknown as OutboundPorts;
const refundMessages = (caseId: string) =>
  slack.messages.filter((m) => m.channel === FINANCE && (m.metadata as { event_payload?: { case_id?: string } }).event_payload?.case_id === caseId);
const refund = (target: { accountId: string; caseId: string }, finance: FinanceChannel = slackFinance(), settings?: Settings) =>
  invoke(requestRefund, depsAt(clock, settings, portsWith(finance)), target);

/** Given an account in Paris whose pre-churn case was opened by a cancellation, then concluded as `outcome`. */
async function givenACase(label: string, outcome: { kind: 'lost' | 'saved'; proofUrl?: string } = { kind: 'lost', proofUrl: PROOF }, requestedAt = REQUESTED) {
  const accountId = newAccountId(label);
  const { id: _id, ...record } = salonHorizon(accountId);
  await invoke(upsertAccount, depsAt(new Date(SIGNED)), accountUpdated(accountId, `evt-sync-${accountId}`, { ...record, signedAt: SIGNED, salesId: 'sales-sam' }));
  const opened = (await invoke(openPreChurn, depsAt(new Date(requestedAt)), {
    detail: { eventId: `evt-cancel-${accountId}`, accountId, requestedAt, channel: 'email' },
  })) as Extract<OpenPreChurnResult, { route: 'pre-churn' }>;
  expect(opened.route).toBe('pre-churn');
  await invoke(recordSaveOutcome, depsAt(LOST_AT), {
    detail: { eventId: `evt-outcome-${accountId}`, accountId, outcome: outcome.kind, ...(outcome.proofUrl ? { proofUrl: outcome.proofUrl } : {}), at: LOST_AT.toISOString() },
  });
  return { accountId, caseId: opened.caseId };
}

/** The real Slack port, but the Lambda "crashes" right after Slack accepted the post: its answer never reaches the record. */
function crashingAfterThePost(finance: FinanceChannel): FinanceChannel {
  return {
    findRefundRequest: (query) => finance.findRefundRequest(query),
    async postRefundRequest(request) {
      await finance.postRefundRequest(request);
      throw new Error('Runtime exited: the Lambda crashed after the post, before the record');
    },
  };
}

describe('request-refund: one finance message per case', () => {
  it('given a case lost with proof, then one message in the finance channel, carrying the refund id, and the ledger records where it is', async () => {
    const target = await givenACase('refund-once');

    const result = await refund(target);

    const messages = refundMessages(target.caseId);
    expect(messages).toHaveLength(1);
    const id = refundId(target);
    expect(messages[0]!.metadata).toEqual({ event_type: 'cs_playbooks_refund_request', event_payload: { refund_id: id, case_id: target.caseId, account_id: target.accountId } });
    expect(messages[0]!.text).toContain(`Proof of the client's request: ${PROOF}`);
    expect(messages[0]!.text).toContain('7 days after signing on 2026-11-05 (within the 14-day pre-churn window)');
    expect(result).toEqual({ refundId: id, status: 'requested', message: { channel: FINANCE, ts: messages[0]!.ts } });
    const { refund: record } = await readRefund(ledger, target.accountId, target.caseId);
    expect(record).toMatchObject({ id, status: 'posted', attempts: 1, message: { channel: FINANCE, ts: messages[0]!.ts }, requestedBy: 'sales-sam', monthlyAmount: 1200, proofUrl: PROOF, foundInHistory: false });
    // Created before the post: nothing was searched for a fresh record.
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage']);
  });

  it('given the step run again (a redelivered outcome, a second execution of the case), then nothing is posted again', async () => {
    const target = await givenACase('refund-again');
    await refund(target);

    expect(await refund(target)).toMatchObject({ status: 'already-requested' });
    expect(await refund(target)).toMatchObject({ status: 'already-requested' });
    expect(refundMessages(target.caseId)).toHaveLength(1);
  });

  it('given a crash after the post and before its record, then the retry finds the message in the channel’s history, records it, and does not post again', async () => {
    const target = await givenACase('refund-crash');

    await failureOf(() => refund(target, crashingAfterThePost(slackFinance())));
    expect(refundMessages(target.caseId)).toHaveLength(1);
    expect((await readRefund(ledger, target.accountId, target.caseId)).refund).toMatchObject({ status: 'posting' });

    clock = new Date(clock.getTime() + 2_000); // Step Functions' retry, seconds later
    const retried = await refund(target);

    expect(retried).toMatchObject({ status: 'found-posted', message: { channel: FINANCE, ts: refundMessages(target.caseId)[0]!.ts } });
    expect(refundMessages(target.caseId)).toHaveLength(1);
    expect((await readRefund(ledger, target.accountId, target.caseId)).refund).toMatchObject({ status: 'posted', attempts: 2, foundInHistory: true });
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/conversations.history']);
  });

  it('given the Lambda killed after the post (its lease never released), then a retry within the lease waits (RefundInProgress, nothing posted), and one after it finds the message', async () => {
    const target = await givenACase('refund-killed');
    await failureOf(() => refund(target, crashingAfterThePost(slackFinance())));
    // What a killed process leaves: the lease it held, not released.
    const { refund: posting, version } = await readRefund(ledger, target.accountId, target.caseId);
    await writeRefund(ledger, { ...posting!, leaseUntil: new Date(clock.getTime() + REFUND_LEASE_MS).toISOString() }, version);

    clock = new Date(clock.getTime() + 5_000);
    expect(await failureOf(() => refund(target))).toMatchObject({ name: 'RefundInProgress' });
    expect(slack.requests.filter((r) => r.path !== '/api/chat.postMessage')).toEqual([]);

    clock = new Date(clock.getTime() + REFUND_LEASE_MS);
    expect(await refund(target)).toMatchObject({ status: 'found-posted' });
    expect(refundMessages(target.caseId)).toHaveLength(1);
  });

  it('given two attempts at once (two executions of the case resumed by the same outcome), then one posts and the other waits for it', async () => {
    const target = await givenACase('refund-race');

    const results = await Promise.allSettled([refund(target), refund(target)]);

    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as Error).name)).sort()).toEqual(['RefundInProgress', 'requested']);
    expect(refundMessages(target.caseId)).toHaveLength(1);
    clock = new Date(clock.getTime() + 15_000); // the Task's RefundInProgress retry
    expect(await refund(target)).toMatchObject({ status: 'already-requested' });
  });
});

describe('request-refund: Slack throttling and outages are retried, never doubled', () => {
  it('given Slack answers the post 429, then the search 503, then the step retries until one message is posted', async () => {
    const target = await givenACase('refund-flaky');

    slack.rateLimitNextRequests(1, 3);
    expect(await failureOf(() => refund(target))).toMatchObject({ name: 'VendorUnavailable', status: 429 });
    slack.failNextRequests(1, { status: 503, body: 'Service Unavailable' });
    clock = new Date(clock.getTime() + 10_000);
    expect(await failureOf(() => refund(target))).toMatchObject({ name: 'VendorUnavailable', status: 503 });
    clock = new Date(clock.getTime() + 20_000);
    expect(await refund(target)).toMatchObject({ status: 'requested' });

    expect(refundMessages(target.caseId)).toHaveLength(1);
    // The failed post released its lease, so the retries did not wait; each retry searched before posting.
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/conversations.history', '/api/conversations.history', '/api/chat.postMessage']);
    expect((await readRefund(ledger, target.accountId, target.caseId)).refund).toMatchObject({ status: 'posted', attempts: 3 });
  });

  it('given Slack’s answer to the post lost on the way (the connection dropped after it posted), then the retry finds it', async () => {
    const target = await givenACase('refund-dropped');
    slack.dropNextResponses(1);

    expect(await failureOf(() => refund(target))).toMatchObject({ name: 'VendorUnavailable' });
    expect(await refund(target)).toMatchObject({ status: 'found-posted' });
    expect(refundMessages(target.caseId)).toHaveLength(1);
  });
});

describe('request-refund: never outside the rule', () => {
  const refusedWithNothingDone = async (target: { accountId: string; caseId: string }, settings?: Settings) => {
    const error = await failureOf(() => refund(target, slackFinance(), settings));
    expect(error.name).toBe('OutsidePreChurnRule');
    expect(slack.requests).toEqual([]);
    expect((await readRefund(ledger, target.accountId, target.caseId)).refund).toBeUndefined();
    return error;
  };

  it('given a case lost without proof, then refused: nothing recorded, nothing posted', async () => {
    const error = await refusedWithNothingDone(await givenACase('refund-no-proof', { kind: 'lost' }));
    expect(error.message).toMatch(/no proof of the client’s request is on file/);
  });

  it('given a saved case, then refused', async () => {
    const error = await refusedWithNothingDone(await givenACase('refund-saved', { kind: 'saved' }));
    expect(error.message).toMatch(/the case is saved, not lost/);
  });

  it('given a loss with proof recorded, but no cancellation ever opened the case, then refused', async () => {
    const accountId = newAccountId('refund-unopened');
    const { id: _id, ...record } = salonHorizon(accountId);
    await invoke(upsertAccount, depsAt(new Date(SIGNED)), accountUpdated(accountId, `evt-sync-${accountId}`, { ...record, signedAt: SIGNED }));
    await invoke(recordSaveOutcome, depsAt(LOST_AT), { detail: { eventId: 'evt-lost-early', accountId, outcome: 'lost', proofUrl: PROOF, at: LOST_AT.toISOString() } });
    const caseId = preChurnCaseId({ accountId, signedAt: SIGNED });

    const error = await refusedWithNothingDone({ accountId, caseId });
    expect(error.message).toMatch(/no cancellation opened this case/);
  });

  it('given a cancellation on day 14, when the stage’s window is now 7 days, then refused: the rule is checked with the current window, after the day it allows', async () => {
    const target = await givenACase('refund-window', { kind: 'lost', proofUrl: PROOF }, '2026-11-19T10:00:00+01:00');
    const error = await refusedWithNothingDone(target, resolveSettings({ preChurn: { windowDays: 7 } }));
    expect(error.message).toMatch(/14 days after the signature, beyond the 7-day window/);
  });
});

describe('request-refund: its log says who, what and why, and names nobody', () => {
  it('given a refund requested, then the log carries the ids, the amount and the rule as checked, and no name, e-mail address or proof link', async () => {
    const target = await givenACase('refund-log');
    const deps = depsAt(clock, undefined, portsWith(slackFinance()));
    const info = vi.spyOn(deps.logger, 'info');

    await invoke(requestRefund, deps, target);

    const [message, fields] = info.mock.calls.at(-1)!;
    expect(message).toBe('refund requested in the finance channel');
    expect(fields).toMatchObject({
      accountId: target.accountId,
      caseId: target.caseId,
      refundId: refundId(target),
      requestedBy: 'sales-sam',
      ownerRole: 'sales',
      monthlyAmount: 1200,
      currency: 'EUR',
      rule: { caseStatus: 'lost', daysSinceSignature: 7, windowDays: 14, proof: 'present' },
    });
    const logged = JSON.stringify(info.mock.calls);
    for (const secret of ['Salon Horizon', 'example.com', 'Clara', 'Tom Durand']) expect(logged).not.toContain(secret);
  });
});
