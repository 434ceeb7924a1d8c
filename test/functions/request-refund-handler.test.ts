import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRefund } from '../../functions/adapters/pre-churn-cases.ts';
import { preChurnCaseId, refundId } from '../../functions/core/tasks/identity.ts';
import { captureOutput } from '../support/aws/playbook-lambdas.ts';
import { SLACK_STAGE, useSlackStage } from '../support/aws/slack-stage.ts';
import { failureOf } from '../support/ledger-fixture.ts';

// The finance refund request's Lambda (the refund domain's, request-refund alone) through its entry, as
// Step Functions invokes it, in a stage that posts to Slack: the bot token from the stage's vendor
// secret (through the secrets extension), the finance channel from the stack's variable, DynamoDB
// (dynalite) behind the function's IAM grant, Slack's Web API on 127.0.0.1. The case is opened and
// concluded by the actions that do it on AWS (open-pre-churn, record-save-outcome), through their
// domains' entries too.

const FINANCE = 'G0FINANCE1';
const PROOF = 'https://files.example.com/proofs/client-letter.pdf';
const DAY = 86_400_000;

const sample = JSON.parse(readFileSync(new URL('../../functions/contracts/samples/AccountUpdated.json', import.meta.url), 'utf8')) as {
  data: { name: string; salesId: string; mrr: number; contacts: { email: string; name: string }[] } & Record<string, unknown>;
};

const stage = useSlackStage({
  name: 'cs-playbooks-request-refund-handler-test',
  alertChannel: 'C0ALERTS01',
  // The finance channel is private: its history needs groups:history, which the default scopes grant.
  financeChannel: FINANCE,
  privateChannels: [FINANCE],
  functions: ['upsert-account', 'open-pre-churn', 'record-save-outcome', 'request-refund'],
});
const output = captureOutput();

beforeEach(() => {
  stage.slack.reset();
  output.start();
});

afterEach(() => {
  output.stop();
  expect(stage.slack.refusals).toEqual([]);
  expect(stage.secretsManager.refusals).toEqual([]);
  expect(stage.dynamodb.calls.filter((call) => !call.allowed)).toEqual([]);
  // A field named like one of Powertools' own (message, level…) is dropped from the log line, with a warning.
  expect(output.text).not.toContain('is a reserved key and will be dropped');
  // Money-touching steps log ids and amounts, never a customer's name or e-mail.
  for (const personal of [sample.data.name, ...sample.data.contacts.flatMap((contact) => [contact.email, contact.name])]) expect(output.text).not.toContain(personal);
});

let counter = 0;
/** Noon UTC `days` before today: in Paris, mid-afternoon, so day counts in local dates never straddle a midnight. */
const daysAgo = (days: number) => new Date((Math.floor(Date.now() / DAY) - days) * DAY + DAY / 2).toISOString();

/** Given an account signed `signedDaysAgo`, whose client asked to cancel two days ago: what open-pre-churn made of it. */
async function givenACancellation(signedDaysAgo: number) {
  const n = ++counter;
  const accountId = `acc-refund-${n}`;
  const signedAt = daysAgo(signedDaysAgo);
  await stage.lambdas['upsert-account']({ time: new Date().toISOString(), detail: { ...sample.data, accountId, eventId: `evt-sync-${n}`, signedAt } });
  const opened = (await stage.lambdas['open-pre-churn']({ detail: { eventId: `evt-cancel-${n}`, accountId, requestedAt: daysAgo(2), channel: 'email' } })) as { route: string; caseId?: string };
  return { accountId, n, opened, caseId: opened.caseId ?? preChurnCaseId({ accountId, signedAt }) };
}

/** SaveAttemptConcluded, as RecordSaveOutcome receives it (`eventId` the same on a redelivery). */
const concluded = (target: { accountId: string; n: number }, fields: { proofUrl?: string }, eventId = `evt-outcome-${target.n}`) =>
  stage.lambdas['record-save-outcome']({ detail: { eventId, accountId: target.accountId, outcome: 'lost', ...fields, at: new Date().toISOString() } });

/** RequestRefund's payload: `{ accountId, caseId }`. */
const requestRefund = (target: { accountId: string; caseId: string }) =>
  stage.lambdas['request-refund']({ accountId: target.accountId, caseId: target.caseId }) as Promise<{ refundId: string; status: string; message: { channel: string; ts: string } }>;

const financeMessages = (caseId: string) =>
  stage.slack.messages.filter((m) => m.channel === FINANCE && (m.metadata as { event_payload?: { case_id?: string } }).event_payload?.case_id === caseId);

describe('request-refund, through its entry, in a stage that posts to Slack', () => {
  it('given a case lost with proof on day 7, then one request in the finance channel with the refund id in its metadata, recorded in the ledger, and an audit log of who, what and why', async () => {
    const target = await givenACancellation(7);
    expect(target.opened.route).toBe('pre-churn');
    await concluded(target, { proofUrl: PROOF });

    const result = await requestRefund(target);

    const id = refundId(target);
    const [message, ...others] = financeMessages(target.caseId);
    expect(others).toEqual([]);
    expect(message!.metadata).toEqual({ event_type: 'cs_playbooks_refund_request', event_payload: { refund_id: id, case_id: target.caseId, account_id: target.accountId } });
    expect(message!.text).toContain(PROOF);
    expect(result).toEqual({ refundId: id, status: 'requested', message: { channel: FINANCE, ts: message!.ts } });
    expect((await readRefund(stage.ledger, target.accountId, target.caseId)).refund).toMatchObject({ id, status: 'posted', attempts: 1, message: { channel: FINANCE, ts: message!.ts } });
    // The token was read from the stage's secret (GetSecretValue, signed with the function's credentials), never from a variable.
    expect(stage.secretsManager.requests.map((r) => [r.operation, r.body.SecretId])).toContainEqual(['GetSecretValue', SLACK_STAGE.vendorSecret]);
    expect(output.records).toContainEqual(
      expect.objectContaining({
        message: 'refund requested in the finance channel',
        service: 'refund',
        action: 'request-refund',
        accountId: target.accountId,
        caseId: target.caseId,
        refundId: id,
        requestedBy: sample.data.salesId,
        monthlyAmount: sample.data.mrr,
        currency: 'EUR',
        slackMessage: { channel: FINANCE, ts: message!.ts },
        rule: { caseStatus: 'lost', daysSinceSignature: 5, windowDays: 14, proof: 'present' },
      }),
    );
  });

  it('given the outcome `lost` delivered three times (a redelivery, then a second event), then request-refund runs three times and finance gets one request', async () => {
    const target = await givenACancellation(6);
    await concluded(target, { proofUrl: PROOF });
    await concluded(target, { proofUrl: PROOF });
    await concluded(target, { proofUrl: PROOF }, `evt-outcome-${target.n}-again`);

    const results = [await requestRefund(target), await requestRefund(target), await requestRefund(target)];

    expect(results.map((r) => r.status)).toEqual(['requested', 'already-requested', 'already-requested']);
    expect(financeMessages(target.caseId)).toHaveLength(1);
    expect(stage.slack.requests.filter((r) => r.path === '/api/chat.postMessage')).toHaveLength(1);
  });

  it('given Slack posts the request but its answer never reaches the Lambda, then the invocation fails for a retry, and the retry finds the message in the channel and records it: one request', async () => {
    const target = await givenACancellation(5);
    await concluded(target, { proofUrl: PROOF });
    stage.slack.dropNextResponses(1);

    const error = await failureOf(() => requestRefund(target));
    expect(financeMessages(target.caseId)).toHaveLength(1);
    expect((await readRefund(stage.ledger, target.accountId, target.caseId)).refund).toMatchObject({ status: 'posting', attempts: 1 });
    const retried = await requestRefund(target); // Step Functions' retry of RequestRefund

    // The name RequestRefund's Retry matches (VendorUnavailable: backoff, up to 8 attempts).
    expect(error.name).toBe('VendorUnavailable');
    expect(retried).toMatchObject({ status: 'found-posted', message: { channel: FINANCE, ts: financeMessages(target.caseId)[0]!.ts } });
    expect(financeMessages(target.caseId)).toHaveLength(1);
    expect((await readRefund(stage.ledger, target.accountId, target.caseId)).refund).toMatchObject({ status: 'posted', attempts: 2, foundInHistory: true });
    expect(stage.slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/conversations.history']);
  });

  it('given a case lost without proof, then request-refund refuses (OutsidePreChurnRule, caught into a manual follow-up): nothing posted, nothing recorded', async () => {
    const target = await givenACancellation(7);
    await concluded(target, {});

    const error = await failureOf(() => requestRefund(target));

    expect(error.name).toBe('OutsidePreChurnRule');
    expect(financeMessages(target.caseId)).toEqual([]);
    expect(stage.slack.requests).toEqual([]);
    expect((await readRefund(stage.ledger, target.accountId, target.caseId)).refund).toBeUndefined();
    expect(output.records).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'refund request refused: outside the pre-churn rule', refundId: refundId(target) }));
  });

  it('given a cancellation 16 days after signing, then open-pre-churn routes it to churn risk, and request-refund for that account refuses: no case, no money', async () => {
    const target = await givenACancellation(18);
    expect(target.opened).toMatchObject({ route: 'churn-risk', why: 'beyond-window' });

    const error = await failureOf(() => requestRefund(target));

    expect(error.name).toBe('OutsidePreChurnRule');
    expect(stage.slack.requests).toEqual([]);
    expect((await readRefund(stage.ledger, target.accountId, target.caseId)).refund).toBeUndefined();
  });
});
