import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { parisAccount, run, withoutAlertReminder } from '../support/scenario.ts';
import { startLocalSlack, type LocalSlack } from '../support/vendors/slack.ts';

// The alert channel (seed 001, docs/playbooks.md "alert channel"): every inbound alert is posted, tracked
// until its playbook set a task or resolved it, then acknowledged (✅).

const THURSDAY_10 = '2026-11-12T10:00:00+01:00';

const request = (type: 'UpsellRequested' | 'HardwareOrderRequested', eventId: string, details: string, at = THURSDAY_10) => ({
  at,
  type,
  detail: { eventId, accountId: 'acc-paris', at, details },
});

const account = () => parisAccount({ salesId: 'am-sasha' });
const scenario = (events: object[]) => ({ start: '2026-11-12T08:00:00+01:00', accounts: [account()], events });

describe('alert channel: requests from the client', () => {
  it('given an upsell request, then the channel sees it, the account manager has an upsell-request task due today, and the alert is acknowledged', async () => {
    const report = await run(scenario([request('UpsellRequested', 'evt-upsell-1', 'Add 2 collaborators')]));

    expect(report.tasks.map((t) => [t.kind, t.owner, t.dueAt])).toEqual([['upsell-request', 'am-sasha', '2026-11-12T18:00:00+01:00']]);
    expect(report.notifications).toEqual([
      { channel: 'alerts', accountId: 'acc-paris', type: 'upsell-request', at: THURSDAY_10, text: expect.stringMatching(/Upsell request — Salon Test Paris[\s\S]*Add 2 collaborators/) },
    ]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: true })]);
  });

  it('given a hardware order, then the CSM has a hardware-order task due today and the alert is acknowledged', async () => {
    const report = await run(scenario([request('HardwareOrderRequested', 'evt-hw-1', '3 card readers')]));

    expect(report.tasks.map((t) => [t.kind, t.owner])).toEqual([['hardware-order', 'csm-camille']]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'hardware-order', acknowledged: true })]);
  });

  it('given an account without an account manager, when an upsell request arrives, then the CSM has the task (never an ownerless task)', async () => {
    const report = await run({ ...scenario([request('UpsellRequested', 'evt-upsell-2', 'Premium plan')]), accounts: [parisAccount()] });
    expect(report.tasks.map((t) => [t.kind, t.owner])).toEqual([['upsell-request', 'csm-camille']]);
  });

  it('given the same upsell request delivered three times, then one post, one task, one acknowledged alert', async () => {
    const upsell = request('UpsellRequested', 'evt-upsell-3', 'Add 2 collaborators');
    const report = await run(scenario([upsell, { ...upsell, at: '2026-11-12T10:00:05+01:00' }, { ...upsell, at: '2026-11-13T09:00:00+01:00' }]));

    expect(report.tasks).toHaveLength(1);
    expect(report.notifications).toHaveLength(1);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: true })]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('given a churn risk from the CRM, then it is posted and acknowledged once the info-and-meeting task is set', async () => {
    const report = await run(
      scenario([
        { at: THURSDAY_10, type: 'ChurnRiskCreated', detail: { eventId: 'evt-crm-1', accountId: 'acc-paris', kind: 'churn-risk', reason: 'Asked about the contract end', createdAt: THURSDAY_10 } },
      ]),
    );
    expect(report.tasks.map((t) => t.kind)).toEqual(['churn-risk-info-and-meeting']);
    expect(report.notifications.map((n) => n.text)).toEqual([expect.stringMatching(/Churn risk — Salon Test Paris[\s\S]*Asked about the contract end/)]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'churn-risk', acknowledged: true })]);
  });
});

describe('alert channel: posted to Slack', () => {
  const BOT_TOKEN = 'xoxb-local-test-token';
  const CHANNEL = 'C0123ALERTS';
  let slack: LocalSlack;

  beforeEach(async () => {
    slack = await startLocalSlack({ botToken: BOT_TOKEN, channels: [CHANNEL] });
  });
  afterEach(async () => {
    expect(slack.refusals).toEqual([]);
    await slack.close();
  });

  const withSlack = (events: object[], until?: string) =>
    simulate(parseScenario({ ...scenario(events), ...(until ? { until } : {}) }), {
      vendorEnvironment: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_ALERT_CHANNEL: CHANNEL, SLACK_API_URL: slack.apiUrl },
    });

  it('given Slack configured, when a hardware order arrives twice, then chat.postMessage posts it once and reactions.add puts ✅ on that message', async () => {
    const order = request('HardwareOrderRequested', 'evt-hw-2', '3 card readers');
    const report = await withSlack([order, { ...order, at: '2026-11-12T11:00:00+01:00' }]);

    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]).toMatchObject({ channel: CHANNEL, text: expect.stringContaining('Hardware order — Salon Test Paris') });
    expect([...slack.messages[0]!.reactions]).toEqual(['white_check_mark']);
    // Slack received it: nothing went to the outbox.
    expect(report.notifications).toEqual([]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'hardware-order', acknowledged: true })]);
  });

  it('given Slack rate-limits the first post, then the Task state retries and the alert is posted once and acknowledged', async () => {
    slack.rateLimitNextRequests(1, 3);
    await withSlack([request('UpsellRequested', 'evt-upsell-4', 'Add 2 collaborators')]);

    expect(slack.messages).toHaveLength(1);
    expect([...slack.messages[0]!.reactions]).toEqual(['white_check_mark']);
  });

  it('given the bot token was revoked, then nothing is retried in vain: the post is a dead letter, the CSM gets a manual follow-up to post it by hand, and the task still comes', async () => {
    slack.failNextWithError(1, 'token_revoked');
    const report = await withSlack([request('UpsellRequested', 'evt-upsell-5', 'Add 2 collaborators')], '2026-11-12T18:00:00+01:00');

    // One attempt: a revoked token fails every time until ops rotate it.
    expect(slack.requests.filter((r) => r.path === '/api/chat.postMessage')).toHaveLength(1);
    expect(slack.messages).toEqual([]);
    expect(report.tasks.map((t) => t.kind).sort()).toEqual(['manual-follow-up', 'upsell-request']);
    expect(report.tasks.find((t) => t.kind === 'manual-follow-up')!.details).toMatch(/^Post this alert in the alert channel by hand: :moneybag: Upsell request — Salon Test Paris[\s\S]*VendorMisconfigured: slack chat.postMessage refused our configuration: HTTP 200 token_revoked/);
    expect(report.deadLetters).toEqual([expect.objectContaining({ accountId: 'acc-paris', call: 'alerts.postAlert', reason: 'refused' })]);
    // Its task set, the alert is handled (✅ in the ledger): there was no message to react to, so the ✅ ends there.
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: true })]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });
});
