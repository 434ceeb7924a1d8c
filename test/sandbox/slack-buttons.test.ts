import { afterEach, describe, expect, it } from 'vitest';
import { VendorRejected } from '../../functions/adapters/vendor-errors.ts';
import { resolveSettings } from '../../functions/contracts/index.ts';
import type { Alert } from '../../functions/core/alerts/alert.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { buildReport } from '../../sandbox/report/report.ts';
import { Sandbox, type FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount } from '../support/scenario.ts';
import { startLocalSlack, type LocalSlack, type SlackMessage } from '../support/vendors/slack.ts';
import { buttonClick, interactionBody, SLACK_DEVELOPMENT_SECRET, slackRequest, slackTs } from '../support/vendors/slack-webhooks.ts';

// The Slack app's buttons through the sandbox: a signed interactivity request to the same ingest
// (POST /webhooks/slack), its domain event on the bus, and the catalog's playbook it starts
// (alert-acknowledged, approval-decided), on the same ASL, functions and DynamoDB API as elsewhere.
// Slack signs with the wall clock; the playbooks run on a virtual one.

const SLACK_USER = 'U0SLACKCSM1';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function start(at: string, options: { config?: object; intercept?: FunctionInterceptor; account?: Parameters<typeof parisAccount>[0] } = {}) {
  const clock = new VirtualClock(Date.parse(at));
  const started = await Sandbox.start({ clock, settings: resolveSettings(options.config ?? {}), deterministicIds: true, ...(options.intercept ? { intercept: options.intercept } : {}) });
  sandbox = started;
  await started.importAccounts([parisAccount(options.account ?? {})]);
  return {
    sandbox: started,
    /** Move the virtual clock to `at`, firing every timer due on the way. */
    async advanceTo(until: string) {
      for (;;) {
        await started.settled();
        const next = clock.nextWakeUp();
        if (next === undefined || next > Date.parse(until)) break;
        clock.runNext();
      }
      clock.advanceTo(Date.parse(until));
      await started.settled();
    },
    /** A CSM clicks one of our buttons: Slack posts the signed interaction to the ingest. */
    async click(actionId: string, value: Record<string, string>) {
      const body = interactionBody(buttonClick(actionId, value, { userId: SLACK_USER, actionTs: slackTs(new Date()) }));
      const answer = await started.receiveWebhook('slack', slackRequest(body), () => [SLACK_DEVELOPMENT_SECRET]);
      await started.settled();
      return answer;
    },
  };
}

describe('the ✅ button on an alert post', () => {
  // The CRM refuses the upsell-request task, so the playbook cannot acknowledge the alert itself
  // (test/sandbox/alert-reminder.test.ts): it stays open until someone handles it by hand.
  const crmRefusesUpsellTask: FunctionInterceptor = (id, input, call) =>
    id === 'create-task' && (input as { kind: string }).kind === 'upsell-request'
      ? Promise.reject(new VendorRejected({ vendor: 'hubspot', operation: 'tasks.upsert', status: 400, code: 'VALIDATION_ERROR' }))
      : call();
  const TUESDAY_10 = '2026-11-17T10:00:00+01:00';

  it('given an upsell alert left open on Tuesday 10:00 in Paris, when the CSM clicks ✅ on its post at 11:00, then the alert is acknowledged by that Slack user and the 17:00 reminder lists nothing', async () => {
    const s = await start(TUESDAY_10, { intercept: crmRefusesUpsellTask });
    s.sandbox.publish({ type: 'UpsellRequested', timestamp: TUESDAY_10, data: { eventId: 'evt-up-1', accountId: 'acc-paris', at: TUESDAY_10, details: 'Add 2 seats' } });
    await s.advanceTo('2026-11-17T11:00:00+01:00');
    expect((await buildReport(s.sandbox)).alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: false })]);
    const [alert] = await s.sandbox.ledger.scan<Alert>('alert');

    const answer = await s.click('acknowledge_alert', { accountId: 'acc-paris', alertId: alert!.id });

    expect(answer).toMatchObject({ statusCode: 200, body: { accepted: true, type: 'AlertAcknowledged' } });
    const report = await buildReport(s.sandbox);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: true })]);
    expect(report.executions.filter((e) => e.playbook === 'alert-acknowledged').map((e) => [e.status, e.accountId])).toEqual([['SUCCEEDED', 'acc-paris']]);
    const [acknowledged] = await s.sandbox.ledger.scan<Alert & { handledBy?: string }>('alert');
    expect(JSON.stringify(acknowledged)).toContain(`Slack user ${SLACK_USER}`);

    await s.advanceTo('2026-11-17T18:00:00+01:00');
    const evening = await buildReport(s.sandbox);
    // The reminder woke at 17:00, found no open alert, and ended without a post.
    expect(evening.executions.filter((e) => e.playbook === 'alert-reminder').map((e) => [e.status, e.stoppedAt])).toEqual([['SUCCEEDED', '2026-11-17T17:00:00+01:00']]);
    expect(evening.notifications.filter((n) => n.type === 'unacknowledged-reminder')).toEqual([]);
  });

  it('given an alert already acknowledged, when ✅ is clicked twice more, then it stays acknowledged and nothing fails', async () => {
    const s = await start(TUESDAY_10, { intercept: crmRefusesUpsellTask });
    s.sandbox.publish({ type: 'UpsellRequested', timestamp: TUESDAY_10, data: { eventId: 'evt-up-2', accountId: 'acc-paris', at: TUESDAY_10, details: 'Add 2 seats' } });
    await s.advanceTo('2026-11-17T11:00:00+01:00');
    const [alert] = await s.sandbox.ledger.scan<Alert>('alert');

    await s.click('acknowledge_alert', { accountId: 'acc-paris', alertId: alert!.id });
    await s.click('acknowledge_alert', { accountId: 'acc-paris', alertId: alert!.id });

    const report = await buildReport(s.sandbox);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: true })]);
    expect(report.executions.filter((e) => e.playbook === 'alert-acknowledged').map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});

describe('the approve and reject buttons on an e-mail waiting for approval', () => {
  // A promoter's review request in approval mode (test/sandbox/review-request.test.ts): nps-response
  // parks on request-approval until the CSM decides. Tuesday 15 December 2026, in Paris.
  const ANSWER_AT = '2026-12-15T10:00:00+01:00';
  const config = { nps: { reviewSite: 'Capterra', reviewUrl: 'https://reviews.example.com/cs-playbooks', reviewRequestMode: 'approval' } };
  const account = {
    lastStoreOrderAt: '2026-12-08T10:00:00+01:00',
    contacts: [
      { id: 'ct-champion', email: 'champion@example.com', name: 'Alex Champion', role: 'champion' as const },
      { id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' as const },
    ],
  };

  async function parkedReviewRequest() {
    const s = await start(ANSWER_AT, { config, account });
    s.sandbox.publish({ type: 'NpsResponseReceived', timestamp: ANSWER_AT, data: { eventId: 'evt-review', accountId: 'acc-paris', contactId: 'ct-user', score: 10, respondedAt: ANSWER_AT } });
    await s.advanceTo('2026-12-15T10:30:00+01:00');
    const [approval] = await s.sandbox.approvals({ pending: true });
    expect(approval).toMatchObject({ playbook: 'nps-response', template: 'review-request', status: 'pending' });
    expect((await buildReport(s.sandbox)).emails).toEqual([]);
    return { ...s, approvalId: approval!.id };
  }

  it('given the review request parked for approval, when the CSM clicks approve in Slack at 10:30, then the parked e-mail is sent then and the approval records the Slack user', async () => {
    const s = await parkedReviewRequest();

    const answer = await s.click('approve_email', { accountId: 'acc-paris', approvalId: s.approvalId });

    expect(answer).toMatchObject({ statusCode: 200, body: { accepted: true, type: 'ApprovalDecided' } });
    const report = await buildReport(s.sandbox);
    expect(report.emails).toEqual([expect.objectContaining({ to: 'sam.user@example.com', template: 'review-request', at: '2026-12-15T10:30:00+01:00' })]);
    expect(report.approvals).toEqual([expect.objectContaining({ id: s.approvalId, status: 'approved' })]);
    expect((await s.sandbox.approvals())[0]).toMatchObject({ outcome: { decision: 'approved', decidedBy: `Slack user ${SLACK_USER}` } });
    expect(report.executions.filter((e) => e.playbook !== 'alert-reminder').map((e) => [e.playbook, e.status])).toEqual([
      ['nps-response', 'SUCCEEDED'],
      ['approval-decided', 'SUCCEEDED'],
    ]);
  });

  it('given the review request parked for approval, when the CSM clicks reject, then nothing is sent and the approval is cancelled', async () => {
    const s = await parkedReviewRequest();

    await s.click('reject_email', { accountId: 'acc-paris', approvalId: s.approvalId });

    const report = await buildReport(s.sandbox);
    expect(report.emails).toEqual([]);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect(report.executions.filter((e) => e.playbook !== 'alert-reminder').map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('given the CSM approved, when someone clicks reject afterwards, then the first decision stands, one e-mail, and the second run ends well', async () => {
    const s = await parkedReviewRequest();

    await s.click('approve_email', { accountId: 'acc-paris', approvalId: s.approvalId });
    await s.click('reject_email', { accountId: 'acc-paris', approvalId: s.approvalId });

    const report = await buildReport(s.sandbox);
    expect(report.emails).toHaveLength(1);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'approved' })]);
    expect(report.executions.filter((e) => e.playbook === 'approval-decided').map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it("given a button whose value names another account, then nothing is decided and that account's CSM gets a visible manual follow-up", async () => {
    const s = await parkedReviewRequest();
    await s.sandbox.importAccounts([parisAccount({ id: 'acc-other' })]);

    await s.click('approve_email', { accountId: 'acc-other', approvalId: s.approvalId });

    const report = await buildReport(s.sandbox);
    expect(report.emails).toEqual([]);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(report.executions.filter((e) => e.playbook === 'approval-decided').map((e) => e.status)).toEqual(['FAILED']);
    expect(report.tasks.filter((t) => t.kind === 'manual-follow-up').map((t) => [t.accountId, t.playbook])).toEqual([['acc-other', 'approval-decided']]);
  });
});

describe('the buttons as Slack shows them (a local Slack Web API as the alert channel)', () => {
  const BOT_TOKEN = 'xoxb-slack-buttons-test';
  const ALERTS = 'C0ALERTS01';
  const CSM = 'U0CSM00001';
  const REVIEW_CONFIG = { nps: { reviewSite: 'Capterra', reviewUrl: 'https://reviews.example.com/cs-playbooks', reviewRequestMode: 'approval' } };
  const USER_CONTACT = { lastStoreOrderAt: '2026-12-08T10:00:00+01:00', contacts: [{ id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' as const }] };
  let slack: LocalSlack | undefined;
  afterEach(async () => {
    expect(slack?.refusals ?? []).toEqual([]);
    await slack?.close();
    slack = undefined;
  });

  /** The sandbox at `at`, posting to a local Slack whose members are `users`, with the Paris account. */
  async function withSlack(at: string, options: { config?: object; users?: string[]; account?: Parameters<typeof parisAccount>[0]; intercept?: FunctionInterceptor } = {}) {
    const local = await startLocalSlack({ botToken: BOT_TOKEN, channels: [ALERTS], users: options.users ?? [] });
    slack = local;
    const clock = new VirtualClock(Date.parse(at));
    const started = await Sandbox.start({
      clock,
      settings: resolveSettings(options.config ?? {}),
      deterministicIds: true,
      vendorEnvironment: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_ALERT_CHANNEL: ALERTS, SLACK_FINANCE_CHANNEL: ALERTS, SLACK_API_URL: local.apiUrl },
      ...(options.intercept ? { intercept: options.intercept } : {}),
    });
    sandbox = started;
    local.useClock(() => new Date(clock.now()));
    await started.importAccounts([parisAccount(options.account ?? {})]);
    return { sandbox: started, slack: local };
  }

  type Button = { action_id: string; value: string; text: { text: string } };
  /** The buttons under a posted message, as Slack shows them. */
  const buttonsOf = (message: SlackMessage): Button[] => (message.blocks as { type: string; elements?: Button[] }[]).find((block) => block.type === 'actions')!.elements!;

  /** `user` clicks `button`: Slack posts the signed interaction, carrying the button's own action and value. */
  async function click(target: Sandbox, button: Button, user: string) {
    const body = interactionBody(buttonClick(button.action_id, JSON.parse(button.value) as Record<string, string>, { userId: user, actionTs: slackTs(new Date()) }));
    const answer = await target.receiveWebhook('slack', slackRequest(body), () => [SLACK_DEVELOPMENT_SECRET]);
    await target.settled();
    return answer;
  }

  it('given an upsell alert posted with its button, when the CSM clicks the very button Slack shows, then the alert is acknowledged and its post gets the ✅ reaction', async () => {
    const TUESDAY_10 = '2026-11-17T10:00:00+01:00';
    // The CRM refuses the upsell task, so the alert stays open until someone handles it by hand.
    const s = await withSlack(TUESDAY_10, {
      intercept: (id, input, call) => (id === 'create-task' && (input as { kind: string }).kind === 'upsell-request' ? Promise.reject(new VendorRejected({ vendor: 'hubspot', operation: 'tasks.upsert', status: 400, code: 'VALIDATION_ERROR' })) : call()),
    });
    s.sandbox.publish({ type: 'UpsellRequested', timestamp: TUESDAY_10, data: { eventId: 'evt-up-slack', accountId: 'acc-paris', at: TUESDAY_10, details: 'Add 2 seats' } });
    await s.sandbox.settled();

    // What the CSM sees: the alert's text, and under it one button.
    const [post] = s.slack.messages.filter((m) => m.channel === ALERTS);
    const [button, ...others] = buttonsOf(post!);
    expect(others).toEqual([]);
    expect(button).toMatchObject({ action_id: 'acknowledge_alert', text: { text: '✅ Handled' } });
    expect(JSON.parse(button!.value)).toEqual({ accountId: 'acc-paris', alertId: expect.stringMatching(/^alr-/) });

    expect((await click(s.sandbox, button!, SLACK_USER)).statusCode).toBe(200);

    expect((await buildReport(s.sandbox)).alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: true })]);
    expect([...post!.reactions]).toEqual(['white_check_mark']);
  });

  it('given a review request parked for approval, then the CSM gets it in Slack with two buttons; clicking the one that says "Approve and send" sends the e-mail', async () => {
    const ANSWER_AT = '2026-12-15T10:00:00+01:00';
    const s = await withSlack(ANSWER_AT, { config: REVIEW_CONFIG, users: [CSM], account: { csmId: CSM, ...USER_CONTACT } });
    s.sandbox.publish({ type: 'NpsResponseReceived', timestamp: ANSWER_AT, data: { eventId: 'evt-review-slack', accountId: 'acc-paris', contactId: 'ct-user', score: 10, respondedAt: ANSWER_AT } });
    await s.sandbox.settled();

    // The direct message: what waits, and the two buttons.
    const [dm] = s.slack.messages.filter((m) => m.channel.startsWith('D'));
    expect(dm!.text).toContain('An e-mail waits for your approval (review request) to sam.user@example.com');
    const buttons = buttonsOf(dm!);
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      ['approve_email', 'Approve and send'],
      ['reject_email', 'Reject'],
    ]);
    expect((await buildReport(s.sandbox)).emails).toEqual([]);

    expect((await click(s.sandbox, buttons[0]!, CSM)).statusCode).toBe(200);

    const report = await buildReport(s.sandbox);
    expect(report.emails).toEqual([expect.objectContaining({ to: 'sam.user@example.com', template: 'review-request' })]);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'approved' })]);
  });

  it('given the CSM is not a Slack member (their id is the CRM’s), then the approval waits all the same, and the CSM gets a task with the message Slack could not deliver', async () => {
    const ANSWER_AT = '2026-12-15T10:00:00+01:00';
    const s = await withSlack(ANSWER_AT, { config: REVIEW_CONFIG, account: USER_CONTACT });
    s.sandbox.publish({ type: 'NpsResponseReceived', timestamp: ANSWER_AT, data: { eventId: 'evt-review-no-slack', accountId: 'acc-paris', contactId: 'ct-user', score: 10, respondedAt: ANSWER_AT } });
    await s.sandbox.settled();

    const report = await buildReport(s.sandbox);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(report.tasks.map((t) => t.kind).sort()).toEqual(['email-approval', 'manual-follow-up']);
    const [followUp] = (await s.sandbox.ledger.scan<{ kind: string; details?: string }>('task')).filter((task) => task.kind === 'manual-follow-up');
    // The direct message is a dead letter (Slack: channel_not_found for a member id it does not know): its text becomes the CSM's task.
    expect(followUp!.details).toMatch(/^Slack could not deliver this message to you; act on it from here: An e-mail waits for your approval \(review request\)[\s\S]*channel_not_found/);
  });
});
