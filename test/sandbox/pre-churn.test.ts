import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../functions/adapters/outbox/outbox.ts';
import type { RefundRecord } from '../../functions/core/pre-churn/refund.ts';
import { ACTIONS, PLAYBOOKS, type ActionId } from '../../lib/catalog.ts';
import type { Sandbox } from '../../sandbox/runtime/sandbox.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate, type SimulateOptions } from '../../sandbox/simulate/simulate.ts';
import { parisAccount, run } from '../support/scenario.ts';
import { startLocalSlack, type LocalSlack } from '../support/vendors/slack.ts';
import { expectWithinTableAccess } from '../support/table-access.ts';

// pre-churn (docs/playbooks.md; seed 001) through the sandbox: the same ASL in the interpreter, the same
// function bodies, a real DynamoDB API, on a virtual clock. A cancellation within 14 days of the
// signature gives its owner (Sales before the welcome call, the onboarding AM after) a save task, tells
// the other one directly, and waits for the outcome: saved closes; lost with proof makes the RETENTION
// case, the plan's expiry tomorrow and one refund request; lost without proof asks for the proof, and
// nothing else; no outcome within 5 business days goes to the team lead.

/** Signed on Monday 2 November 2026 in Paris; the client asks to cancel on Tuesday the 10th (day 8). */
const SIGNED = '2026-11-02T15:00:00+01:00';
const START = '2026-11-09T08:00:00+01:00';
const REQUESTED = '2026-11-10T10:00:00+01:00';
const PROOF = 'https://files.example.com/proof/client-sms.png';

const account = (overrides: Parameters<typeof parisAccount>[0] = {}) => parisAccount({ signedAt: SIGNED, salesId: 'sales-sam', onboardingId: 'onb-olga', ...overrides });
const cancellation = (at = REQUESTED, overrides: Record<string, unknown> = {}) => ({
  at,
  type: 'CancellationRequested',
  detail: { eventId: 'evt-cancel-1', accountId: 'acc-paris', requestedAt: at, channel: 'email', ...overrides },
});
const concluded = (at: string, outcome: 'saved' | 'lost', proofUrl?: string, eventId = 'evt-outcome-1') => ({
  at,
  type: 'SaveAttemptConcluded',
  detail: { eventId, accountId: 'acc-paris', outcome, ...(proofUrl ? { proofUrl } : {}), at },
});

/** The scenario's report, and what the vendors would have received (the ledger's outbox). */
async function runWithOutbox(scenario: Parameters<typeof run>[0], options: Omit<SimulateOptions, 'inspect'> = {}) {
  let outbox: readonly OutboxEntry[] = [];
  let observed = new Map<ActionId, Set<string>>();
  let access = new Map<ActionId, Set<string>>();
  let refunds: RefundRecord[] = [];
  const report = await simulate(parseScenario(scenario), {
    ...options,
    inspect: async (sandbox: Sandbox) => {
      outbox = await sandbox.outbound.outbox.list();
      observed = sandbox.tableActions;
      access = sandbox.tableAccess;
      refunds = (await sandbox.ledger.scan<{ refund: RefundRecord }>('refund')).map((item) => item.refund);
    },
  });
  const ofKind = <K extends OutboxEntry['kind']>(kind: K) => outbox.filter((e): e is Extract<OutboxEntry, { kind: K }> => e.kind === kind);
  return { report, ofKind, observed, access, refunds };
}

const taskRows = (report: Awaited<ReturnType<typeof run>>) => report.tasks.map((t) => [t.kind, t.owner, t.createdAt, t.dueAt]);

describe('pre-churn: the save', () => {
  it('given a cancellation on day 8 before the welcome call, then Sales gets the save task due today, the onboarding AM is told directly (not in the alert channel), and the case waits', async () => {
    const { report } = await runWithOutbox({ start: START, until: '2026-11-11T00:00:00+01:00', accounts: [account()], events: [cancellation()] });

    expect(taskRows(report)).toEqual([['pre-churn-save', 'sales-sam', REQUESTED, '2026-11-10T18:00:00+01:00']]);
    expect(report.tasks[0]!.title).toBe('Pre-churn: try to save the client — Salon Test Paris');
    expect(report.notifications).toEqual([expect.objectContaining({ channel: 'direct:onb-olga', type: 'pre-churn', at: REQUESTED })]);
    expect(report.notifications[0]!.text).toContain('Sales (sales-sam) owns the save');
    expect(report.alerts).toEqual([]);
    expect(report.cases).toEqual([expect.objectContaining({ accountId: 'acc-paris', status: 'open', owner: 'sales-sam', ownerRole: 'sales', requestedAt: REQUESTED })]);
    expect(report.executions.map((e) => [e.playbook, e.status])).toEqual([['pre-churn', 'RUNNING']]);
  });

  it('given the welcome call done before the request, then the onboarding AM owns the save and Sales is told', async () => {
    const { report } = await runWithOutbox({
      start: START,
      until: '2026-11-11T00:00:00+01:00',
      accounts: [account({ welcomeCallAt: '2026-11-06T11:00:00+01:00' })],
      events: [cancellation()],
    });

    expect(taskRows(report)).toEqual([['pre-churn-save', 'onb-olga', REQUESTED, '2026-11-10T18:00:00+01:00']]);
    expect(report.notifications.map((n) => n.channel)).toEqual(['direct:sales-sam']);
    expect(report.cases[0]).toMatchObject({ owner: 'onb-olga', ownerRole: 'onboarding' });
  });

  it('given the client saved, then the case closes saved: no RETENTION case, no plan expiry, no refund', async () => {
    const { report, ofKind } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation(), concluded('2026-11-12T15:00:00+01:00', 'saved')] });

    expect(report.cases).toEqual([expect.objectContaining({ status: 'saved', outcomeAt: '2026-11-12T15:00:00+01:00' })]);
    expect(report.cases[0]).not.toHaveProperty('type');
    expect(report.refunds).toEqual([]);
    expect(ofKind('crm-company')).toEqual([]);
    expect(ofKind('refund-request')).toEqual([]);
    expect(report.tasks.map((t) => t.kind)).toEqual(['pre-churn-save']);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});

describe('pre-churn: a loss', () => {
  it('given the client lost, with the screenshot of their SMS, then the RETENTION case (SALES_PROCESS, lost, proof attached), the plan expiring tomorrow in Paris, and one refund request to finance', async () => {
    const LOST = '2026-11-12T15:00:00+01:00';
    const { report, ofKind, refunds } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation(), concluded(LOST, 'lost', PROOF)] });

    expect(report.cases).toEqual([
      {
        caseId: expect.stringMatching(/^pch-/),
        accountId: 'acc-paris',
        status: 'lost',
        owner: 'sales-sam',
        ownerRole: 'sales',
        openedAt: REQUESTED,
        requestedAt: REQUESTED,
        outcomeAt: LOST,
        type: 'RETENTION',
        origin: 'SALES_PROCESS',
        proofUrl: PROOF,
        planExpiresOn: '2026-11-13',
      },
    ]);
    expect(report.refunds).toEqual([{ accountId: 'acc-paris', caseId: report.cases[0]!.caseId, at: LOST, proofUrl: PROOF }]);
    expect(refunds).toEqual([expect.objectContaining({ status: 'posted', attempts: 1, requestedBy: 'sales-sam', monthlyAmount: 900, foundInHistory: false })]);
    // Mirrored through the CRM port: the lost deal of the case, and the company's plan expiration date.
    expect(ofKind('crm-risk').map((e) => [e.idempotencyKey, e.risk.status, e.risk.title])).toEqual([[report.cases[0]!.caseId, 'lost', 'Pre-churn lost (RETENTION, SALES_PROCESS): Salon Test Paris']]);
    expect(ofKind('crm-company').map((e) => e.update.planExpiresOn)).toEqual(['2026-11-13']);
    expect(ofKind('refund-request')).toHaveLength(1);
    expect(ofKind('refund-request')[0]!.text).toContain(`Proof of the client's request: ${PROOF}`);
    expect(report.tasks.map((t) => t.kind)).toEqual(['pre-churn-save']);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('given the loss reported at 23:30 UTC (00:30 the next day in Paris), then the plan expires the day after that Paris date', async () => {
    const { report } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation(), concluded('2026-11-12T23:30:00Z', 'lost', PROOF)] });
    expect(report.cases[0]).toMatchObject({ status: 'lost', planExpiresOn: '2026-11-14' });
  });

  it('given the outcome "lost" delivered three times, then one RETENTION case, one plan expiry, one refund', async () => {
    const lost = concluded('2026-11-12T15:00:00+01:00', 'lost', PROOF);
    const { report, ofKind } = await runWithOutbox({
      start: START,
      accounts: [account()],
      events: [cancellation(), lost, { ...lost, at: '2026-11-12T15:00:20+01:00' }, { ...lost, at: '2026-11-13T09:00:00+01:00' }],
    });

    expect(report.refunds).toHaveLength(1);
    expect(ofKind('refund-request')).toHaveLength(1);
    expect(ofKind('crm-company')).toHaveLength(1);
    expect(report.cases.map((c) => c.status)).toEqual(['lost']);
    expect(report.tasks.filter((t) => t.kind === 'manual-follow-up')).toEqual([]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('given the cancellation delivered twice (two executions waiting on the case) and the loss three times, then still one refund', async () => {
    const lost = concluded('2026-11-12T15:00:00+01:00', 'lost', PROOF);
    const { report, refunds } = await runWithOutbox({
      start: START,
      accounts: [account()],
      events: [cancellation(), { ...cancellation(), at: '2026-11-10T10:00:30+01:00' }, lost, lost, { ...lost, at: '2026-11-12T15:01:00+01:00' }],
    });

    expect(report.refunds).toHaveLength(1);
    expect(refunds).toHaveLength(1);
    expect(report.tasks.map((t) => t.kind)).toEqual(['pre-churn-save']);
    expect(report.notifications).toHaveLength(1);
    expect(report.executions.filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
  });

  it('given the loss reported without proof, then the owner gets pre-churn-proof-missing, and nothing else: no RETENTION case, no plan expiry, no refund', async () => {
    const { report, ofKind } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation(), concluded('2026-11-12T15:00:00+01:00', 'lost')] });

    expect(taskRows(report)).toEqual([
      ['pre-churn-save', 'sales-sam', REQUESTED, '2026-11-10T18:00:00+01:00'],
      ['pre-churn-proof-missing', 'sales-sam', '2026-11-12T15:00:00+01:00', '2026-11-12T18:00:00+01:00'],
    ]);
    expect(report.cases).toEqual([expect.objectContaining({ status: 'awaiting-proof' })]);
    expect(report.refunds).toEqual([]);
    expect(ofKind('crm-company')).toEqual([]);
    expect(ofKind('crm-risk')).toEqual([]);
    // It waited 30 days for the proof, then stopped: the case stays open, awaiting it.
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('given the proof reported a week after the loss without it, then the RETENTION case, the plan expiry and the refund follow', async () => {
    const { report } = await runWithOutbox({
      start: START,
      accounts: [account()],
      events: [cancellation(), concluded('2026-11-12T15:00:00+01:00', 'lost'), concluded('2026-11-19T11:00:00+01:00', 'lost', PROOF, 'evt-outcome-2')],
    });

    expect(report.tasks.map((t) => t.kind)).toEqual(['pre-churn-save', 'pre-churn-proof-missing']);
    expect(report.cases[0]).toMatchObject({ status: 'lost', type: 'RETENTION', proofUrl: PROOF, planExpiresOn: '2026-11-20' });
    expect(report.refunds).toEqual([expect.objectContaining({ at: '2026-11-19T11:00:00+01:00', proofUrl: PROOF })]);
  });

  it('given the case concluded saved, when a "lost" comes a week later, then nothing is refunded: the owner gets a manual follow-up to settle it', async () => {
    const { report } = await runWithOutbox({
      start: START,
      accounts: [account()],
      events: [cancellation(), concluded('2026-11-12T15:00:00+01:00', 'saved'), concluded('2026-11-19T11:00:00+01:00', 'lost', PROOF, 'evt-outcome-2')],
    });

    expect(report.refunds).toEqual([]);
    expect(report.cases[0]).toMatchObject({ status: 'saved' });
    expect(taskRows(report).at(-1)).toEqual(['manual-follow-up', 'sales-sam', '2026-11-19T11:00:00+01:00', '2026-11-19T18:00:00+01:00']);
  });
});

describe('pre-churn: the wait', () => {
  it('given the outcome delivered before the cancellation, then it is not lost: the wait finds it and resumes at once', async () => {
    const { report } = await runWithOutbox({
      start: START,
      accounts: [account()],
      events: [concluded('2026-11-10T09:59:00+01:00', 'lost', PROOF), cancellation()],
    });

    expect(report.cases).toEqual([expect.objectContaining({ status: 'lost', type: 'RETENTION' })]);
    expect(report.refunds).toHaveLength(1);
    expect(report.executions.map((e) => [e.status, e.startedAt, e.stoppedAt])).toEqual([
      ['SUCCEEDED', '2026-11-10T09:59:00+01:00', '2026-11-10T09:59:00+01:00'],
      ['SUCCEEDED', REQUESTED, REQUESTED],
    ]);
  });

  it('given no outcome within 5 business days (11 November a holiday), then the team lead gets the save on the evening of the 18th, and the case stays open', async () => {
    const { report } = await runWithOutbox({ start: START, until: '2026-11-20T00:00:00+01:00', accounts: [account()], events: [cancellation()] });

    expect(taskRows(report)).toEqual([
      ['pre-churn-save', 'sales-sam', REQUESTED, '2026-11-10T18:00:00+01:00'],
      ['pre-churn-save', 'lead-jordan', '2026-11-18T18:00:00+01:00', '2026-11-19T18:00:00+01:00'],
    ]);
    expect(report.cases.map((c) => c.status)).toEqual(['open']);
    expect(report.executions.map((e) => e.status)).toEqual(['RUNNING']);
  });

  it('given the loss reported after the escalation, then it still concludes the case: one refund', async () => {
    const { report } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation(), concluded('2026-11-25T10:00:00+01:00', 'lost', PROOF)] });

    expect(report.tasks.map((t) => [t.kind, t.owner])).toEqual([
      ['pre-churn-save', 'sales-sam'],
      ['pre-churn-save', 'lead-jordan'],
    ]);
    expect(report.refunds).toEqual([expect.objectContaining({ at: '2026-11-25T10:00:00+01:00' })]);
  });

  it('given no outcome at all, then the playbook stops after its late wait, the case still open; an outcome after that goes to the owner as a manual follow-up', async () => {
    const { report } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation(), concluded('2027-01-15T10:00:00+01:00', 'lost', PROOF)] });

    expect(report.refunds).toEqual([]);
    expect(report.tasks.map((t) => [t.kind, t.owner])).toEqual([
      ['pre-churn-save', 'sales-sam'],
      ['pre-churn-save', 'lead-jordan'],
      ['manual-follow-up', 'sales-sam'],
    ]);
    expect(report.cases.map((c) => c.status)).toEqual(['lost']);
    expect(report.executions.map((e) => [e.status, e.stoppedAt])).toEqual([
      ['SUCCEEDED', '2026-12-18T18:00:00+01:00'],
      ['SUCCEEDED', '2027-01-15T10:00:00+01:00'],
    ]);
  });
});

describe('pre-churn: not a pre-churn', () => {
  it('given a cancellation on day 15, then no pre-churn: a churn risk (origin cancellation) and the CSM’s info-and-meeting task', async () => {
    const { report } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation('2026-11-17T10:00:00+01:00')] });

    expect(report.cases).toEqual([]);
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', origin: 'cancellation', status: 'open', openedAt: '2026-11-17T10:00:00+01:00' })]);
    expect(taskRows(report)).toEqual([['churn-risk-info-and-meeting', 'csm-camille', '2026-11-17T10:00:00+01:00', '2026-11-17T18:00:00+01:00']]);
    expect(report.tasks[0]!.playbook).toBe('churn-risk');
    expect(report.notifications).toEqual([]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given a cancellation on day 14 late in the evening, then still a pre-churn: local days', async () => {
    const { report } = await runWithOutbox({ start: START, until: '2026-11-17T00:00:00+01:00', accounts: [account()], events: [cancellation('2026-11-16T23:30:00+01:00')] });
    expect(report.cases).toHaveLength(1);
    expect(report.risks).toEqual([]);
  });

  it('given a loss reported on day 15’s cancellation (a churn, not a pre-churn), then no refund', async () => {
    const { report } = await runWithOutbox({
      start: START,
      accounts: [account()],
      events: [cancellation('2026-11-17T10:00:00+01:00'), concluded('2026-11-18T10:00:00+01:00', 'lost', PROOF)],
    });
    expect(report.refunds).toEqual([]);
    expect(report.cases).toEqual([]);
  });
});

describe('pre-churn: its functions and their grants', () => {
  it('given a loss with proof after a redelivered cancellation, then each pre-churn function used the table exactly as its IAM grant (the catalog’s tableActions) allows', async () => {
    const lost = concluded('2026-11-12T15:00:00+01:00', 'lost', PROOF);
    const { observed, access } = await runWithOutbox({ start: START, accounts: [account()], events: [cancellation(), cancellation(), lost] });

    const preChurn = PLAYBOOKS.find((p) => p.id === 'pre-churn')!.actions.filter((id) => id !== 'open-risk');
    for (const actionId of preChurn) {
      expect([...(observed.get(actionId) ?? [])].sort(), actionId).toEqual([...ACTIONS[actionId].tableActions].sort());
    }
    // And each on the item types it declares only.
    expectWithinTableAccess(access);
  });
});

describe('pre-churn: the refund request posted to a Slack finance channel (local Slack Web API)', () => {
  const BOT_TOKEN = 'xoxb-local-test-token';
  const ALERTS = 'C0123ALERTS';
  const FINANCE = 'C0456FINANCE';
  let slack: LocalSlack;

  beforeEach(async () => {
    slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [ALERTS], privateChannels: [FINANCE], users: ['U0SALES01', 'U0ONBOARD1'] });
  });
  afterEach(async () => {
    expect(slack.refusals).toEqual([]);
    await slack.close();
  });

  const slackAccount = () => account({ salesId: 'U0SALES01', onboardingId: 'U0ONBOARD1' });
  const financeMessages = () => slack.messages.filter((m) => m.channel === FINANCE);
  const withSlack = (fetchImpl: typeof fetch = fetch): Omit<SimulateOptions, 'inspect'> => ({
    vendorEnvironment: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_ALERT_CHANNEL: ALERTS, SLACK_FINANCE_CHANNEL: FINANCE, SLACK_API_URL: slack.apiUrl },
    fetch: fetchImpl,
    // Slack stamps its messages on the simulation's clock, as the real one does on the real clock.
    onStart: (sandbox) => slack.useClock(() => new Date(sandbox.clock.now())),
  });

  it('given a crash between the finance post and its record (Slack posted, its answer never reached the Lambda), then the retry finds the message in the channel: still one refund message', async () => {
    let crashed = false;
    const crashAfterTheFinancePost: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const isFinancePost = String(input).endsWith('/chat.postMessage') && JSON.parse(String(init?.body)).channel === FINANCE;
      if (isFinancePost && !crashed) {
        crashed = true;
        throw new TypeError('fetch failed: the process died before reading the answer');
      }
      return response;
    };
    const { report, refunds } = await runWithOutbox(
      { start: START, accounts: [slackAccount()], events: [cancellation(), concluded('2026-11-12T15:00:00+01:00', 'lost', PROOF)] },
      withSlack(crashAfterTheFinancePost),
    );

    expect(crashed).toBe(true);
    expect(financeMessages()).toHaveLength(1);
    expect(financeMessages()[0]!.metadata).toMatchObject({ event_type: 'cs_playbooks_refund_request', event_payload: { case_id: report.cases[0]!.caseId } });
    expect(refunds).toEqual([expect.objectContaining({ status: 'posted', attempts: 2, foundInHistory: true, message: { channel: FINANCE, ts: financeMessages()[0]!.ts } })]);
    expect(report.refunds).toHaveLength(1);
    expect(slack.requests.filter((r) => r.path === '/api/conversations.history')).toHaveLength(1);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('given the loss delivered three times and the cancellation twice, then one message in the finance channel, and the onboarding AM told once, directly', async () => {
    const lost = concluded('2026-11-12T15:00:00+01:00', 'lost', PROOF);
    const { report } = await runWithOutbox(
      { start: START, accounts: [slackAccount()], events: [cancellation(), cancellation(), lost, lost, { ...lost, at: '2026-11-13T09:00:00+01:00' }] },
      withSlack(),
    );

    expect(financeMessages()).toHaveLength(1);
    expect(slack.messages.filter((m) => m.channel === 'D0ONBOARD1')).toHaveLength(1);
    expect(slack.messages.filter((m) => m.channel === ALERTS)).toEqual([]);
    expect(report.executions.filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
  });

  it('given Slack answers the finance post 429 then 503, then the Task state retries and one message is posted', async () => {
    let financePosts = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/chat.postMessage') && JSON.parse(String(init?.body)).channel === FINANCE) {
        financePosts += 1;
        if (financePosts === 1) slack.rateLimitNextRequests(1, 3);
        if (financePosts === 2) slack.failNextRequests(1, { status: 503, body: 'Service Unavailable' });
      }
      return fetch(input, init);
    };
    const { report } = await runWithOutbox({ start: START, accounts: [slackAccount()], events: [cancellation(), concluded('2026-11-12T15:00:00+01:00', 'lost', PROOF)] }, withSlack(flaky));

    expect(financePosts).toBe(3);
    expect(financeMessages()).toHaveLength(1);
    expect(report.refunds).toHaveLength(1);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});
