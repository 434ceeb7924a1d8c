import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VendorRejected } from '../../functions/adapters/vendor-errors.ts';
import { ACTIONS, type ActionId } from '../../lib/catalog.ts';
import type { Report } from '../../sandbox/report/report.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { parisAccount, run } from '../support/scenario.ts';
import { startLocalSlack, type LocalSlack } from '../support/vendors/slack.ts';
import { expectWithinTableAccess } from '../support/table-access.ts';

// The alert channel's 17:00 reminder (docs/playbooks.md, alert channel: "Unacknowledged alerts at 17:00 local
// → a reminder post listing them"), through the sandbox: the same ASL, functions and DynamoDB API.
//
// An alert stays unacknowledged when its playbook could not set its task: here the CRM refuses the
// upsell-request or hardware-order task (a VendorRejected, not retried), the playbook gives the CSM a
// manual follow-up and fails visibly, and the alert stays open in the ledger, where the reminder finds it.
// Scenarios with an alert left open stop at an `until`: the reminder comes back every business day.

const TUESDAY = '2026-11-17';
const WEDNESDAY = '2026-11-18';

/** An upsell request (or a hardware order) from the client at `at`. */
function request(at: string, eventId: string, details: string, type: 'UpsellRequested' | 'HardwareOrderRequested' = 'UpsellRequested', accountId = 'acc-paris') {
  return { at, type, detail: { eventId, accountId, at, details } };
}

/** The CRM refuses the tasks of these kinds: no task is set, so their alerts stay open. */
function crmRefusesTasks(...kinds: string[]): FunctionInterceptor {
  return (id, input, call) =>
    id === 'create-task' && kinds.includes((input as { kind: string }).kind)
      ? Promise.reject(new VendorRejected({ vendor: 'hubspot', operation: 'tasks.upsert', status: 400, code: 'VALIDATION_ERROR' }))
      : call();
}
const TASK_REFUSED = crmRefusesTasks('upsell-request', 'hardware-order');

const scenario = (events: object[], until: string, accounts = [parisAccount()]) => ({ start: `${TUESDAY}T08:00:00+01:00`, until, accounts, events });

/** The reminder posts of a report (the outbox's alert-channel posts of type unacknowledged-reminder): when, and what they list. */
const reminders = (report: Report) =>
  report.notifications.filter((n) => n.type === 'unacknowledged-reminder').map((n) => ({ at: n.at, accountId: n.accountId, lines: n.text.split('\n') }));
const reminderExecutions = (report: Report) => report.executions.filter((e) => e.playbook === 'alert-reminder').map((e) => [e.name, e.status, e.startedAt, e.stoppedAt]);

describe('the 17:00 reminder of the alert channel', () => {
  it('given an upsell request on Tuesday 10:00 in Paris whose task could not be set, then at 17:00 one reminder lists its alert, and again on Wednesday at 17:00 while it stays open', async () => {
    const report = await run(scenario([request(`${TUESDAY}T10:00:00+01:00`, 'evt-up-1', 'Add 2 seats')], `${WEDNESDAY}T20:00:00+01:00`), TASK_REFUSED);

    const listing = [
      ':bell: 1 alert without a task or a resolution yet (no ✅):',
      '• :moneybag: Upsell request — Salon Test Paris (CSM csm-camille) — raised 2026-11-17T10:00:00+01:00',
    ];
    expect(reminders(report)).toEqual([
      { at: `${TUESDAY}T17:00:00+01:00`, accountId: 'acc-paris', lines: listing },
      { at: `${WEDNESDAY}T17:00:00+01:00`, accountId: 'acc-paris', lines: listing },
    ]);
    // A CSM reading the report tells the alert from its reminders by their type.
    expect(report.notifications.map((n) => [n.type, n.at])).toEqual([
      ['upsell-request', `${TUESDAY}T10:00:00+01:00`],
      ['unacknowledged-reminder', `${TUESDAY}T17:00:00+01:00`],
      ['unacknowledged-reminder', `${WEDNESDAY}T17:00:00+01:00`],
    ]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: false })]);
    // One execution per day: the event's, then a hand-over named after the account and the day reminded.
    expect(reminderExecutions(report)).toEqual([
      ['alert-reminder-0002', 'SUCCEEDED', `${TUESDAY}T10:00:00+01:00`, `${TUESDAY}T17:00:00+01:00`],
      [expect.stringMatching(/^rem-acc-paris-[0-9a-f]{8}-2026-11-17$/), 'SUCCEEDED', `${TUESDAY}T17:00:00+01:00`, `${WEDNESDAY}T17:00:00+01:00`],
      [expect.stringMatching(/^rem-acc-paris-[0-9a-f]{8}-2026-11-18$/), 'RUNNING', `${WEDNESDAY}T17:00:00+01:00`, null],
    ]);
  });

  it('given a reminder posted and handed over, then each of its functions used the table exactly as its IAM grant (the catalog’s tableActions) allows, and no more is granted than used', async () => {
    let observed = new Map<ActionId, Set<string>>();
    let access = new Map<ActionId, Set<string>>();
    await simulate(parseScenario(scenario([request(`${TUESDAY}T10:00:00+01:00`, 'evt-up-0', 'Add 2 seats')], `${WEDNESDAY}T08:00:00+01:00`)), {
      intercept: TASK_REFUSED,
      inspect: (sandbox) => void ((observed = sandbox.tableActions), (access = sandbox.tableAccess)),
    });

    // dynalite checks no IAM: what each function did is held against its grant, item types included.
    for (const actionId of ['plan-alert-reminder', 'remind-open-alerts'] as const) {
      expect([...(observed.get(actionId) ?? [])].sort(), actionId).toEqual([...ACTIONS[actionId].tableActions].sort());
    }
    expectWithinTableAccess(access);
  });

  it('given a churn risk whose playbook sets the task at once, then the alert is acknowledged before 17:00 and no reminder is posted', async () => {
    const at = `${TUESDAY}T10:00:00+01:00`;
    const report = await run(
      scenario([{ at, type: 'ChurnRiskCreated', detail: { eventId: 'evt-crm-1', accountId: 'acc-paris', kind: 'churn-risk', reason: 'Asked about the contract end', createdAt: at } }], `${WEDNESDAY}T20:00:00+01:00`),
    );

    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'churn-risk', acknowledged: true })]);
    expect(report.notifications.map((n) => n.type)).toEqual(['churn-risk']);
    // The reminder execution woke at 17:00, found nothing open, and ended without handing over.
    expect(reminderExecutions(report)).toEqual([['alert-reminder-0002', 'SUCCEEDED', at, `${TUESDAY}T17:00:00+01:00`]]);
  });

  it('given two alerts on the same account the same day (an upsell request, then a hardware order), then ONE reminder at 17:00 lists both, oldest first', async () => {
    const report = await run(
      scenario(
        [request(`${TUESDAY}T10:00:00+01:00`, 'evt-up-2', 'Add 2 seats'), request(`${TUESDAY}T14:30:00+01:00`, 'evt-hw-2', '3 card readers', 'HardwareOrderRequested')],
        `${TUESDAY}T20:00:00+01:00`,
      ),
      TASK_REFUSED,
    );

    expect(reminders(report)).toEqual([
      {
        at: `${TUESDAY}T17:00:00+01:00`,
        accountId: 'acc-paris',
        lines: [
          ':bell: 2 alerts without a task or a resolution yet (no ✅):',
          '• :moneybag: Upsell request — Salon Test Paris (CSM csm-camille) — raised 2026-11-17T10:00:00+01:00',
          '• :package: Hardware order — Salon Test Paris (CSM csm-camille) — raised 2026-11-17T14:30:00+01:00',
        ],
      },
    ]);
    // The second event's execution found the day held by the first one's.
    expect(reminderExecutions(report).map(([name, status, , stoppedAt]) => [name, status, stoppedAt])).toEqual([
      ['alert-reminder-0002', 'SUCCEEDED', `${TUESDAY}T17:00:00+01:00`],
      ['alert-reminder-0004', 'SUCCEEDED', `${TUESDAY}T14:30:00+01:00`],
      [expect.stringMatching(/^rem-acc-paris-/), 'RUNNING', null],
    ]);
  });

  it('given an alert on Friday at 17:30, then its reminder is on Monday at 17:00, never on the weekend', async () => {
    const report = await run(
      { ...scenario([request('2026-11-13T17:30:00+01:00', 'evt-up-3', 'Add 2 seats')], '2026-11-16T20:00:00+01:00'), start: '2026-11-13T08:00:00+01:00' },
      TASK_REFUSED,
    );

    expect(reminders(report).map((r) => r.at)).toEqual(['2026-11-16T17:00:00+01:00']);
  });

  it('given an alert on Tuesday 10 November left open, then reminders on Tuesday and on Thursday 12: none on the 11th, a public holiday in France', async () => {
    const report = await run(
      { ...scenario([request('2026-11-10T10:00:00+01:00', 'evt-up-4', 'Add 2 seats')], '2026-11-12T20:00:00+01:00'), start: '2026-11-10T08:00:00+01:00' },
      TASK_REFUSED,
    );

    expect(reminders(report).map((r) => r.at)).toEqual(['2026-11-10T17:00:00+01:00', '2026-11-12T17:00:00+01:00']);
  });

  it('given an account in New York and an alert at 10:00 there, then the reminder is at 17:00 New York time (23:00 in Paris)', async () => {
    const newYork = parisAccount({ id: 'acc-ny', name: 'Barber Hudson', country: 'US', timezone: 'America/New_York' });
    const report = await run(
      scenario([request(`${TUESDAY}T10:00:00-05:00`, 'evt-up-5', 'Add 2 seats', 'UpsellRequested', 'acc-ny')], `${TUESDAY}T20:00:00-05:00`, [newYork]),
      TASK_REFUSED,
    );

    expect(reminders(report).map((r) => [r.accountId, r.at])).toEqual([['acc-ny', `${TUESDAY}T17:00:00-05:00`]]);
  });

  it('given the same upsell request delivered three times, then still one reminder that day', async () => {
    const upsell = request(`${TUESDAY}T10:00:00+01:00`, 'evt-up-6', 'Add 2 seats');
    const report = await run(
      scenario([upsell, { ...upsell, at: `${TUESDAY}T10:00:05+01:00` }, { ...upsell, at: `${TUESDAY}T15:00:00+01:00` }], `${TUESDAY}T20:00:00+01:00`),
      TASK_REFUSED,
    );

    expect(reminders(report)).toEqual([expect.objectContaining({ at: `${TUESDAY}T17:00:00+01:00`, lines: [expect.stringMatching(/^:bell: 1 alert/), expect.any(String)] })]);
    expect(report.alerts).toHaveLength(1);
    // The first delivery's execution holds the day; the repeats' end at once (ReminderAlreadyPlanned).
    expect(reminderExecutions(report).map(([, status, startedAt, stoppedAt]) => [status, startedAt, stoppedAt])).toEqual([
      ['SUCCEEDED', `${TUESDAY}T10:00:00+01:00`, `${TUESDAY}T17:00:00+01:00`],
      ['SUCCEEDED', `${TUESDAY}T10:00:05+01:00`, `${TUESDAY}T10:00:05+01:00`],
      ['SUCCEEDED', `${TUESDAY}T15:00:00+01:00`, `${TUESDAY}T15:00:00+01:00`],
      [expect.any(String), `${TUESDAY}T17:00:00+01:00`, null],
    ]);
  });

  it('given the task set the next morning (the event redelivered once the CRM took it), then the alert is acknowledged, no reminder that evening, and the reminders end', async () => {
    let refused = 0;
    // The CRM refuses the upsell task once, then takes it.
    const refusedOnce: FunctionInterceptor = (id, input, call) => (id === 'create-task' && (input as { kind: string }).kind === 'upsell-request' && refused++ === 0 ? TASK_REFUSED(id, input, call) : call());
    const upsell = request(`${TUESDAY}T10:00:00+01:00`, 'evt-up-7', 'Add 2 seats');
    const report = await run(scenario([upsell, { ...upsell, at: `${WEDNESDAY}T09:00:00+01:00` }], '2026-11-20T20:00:00+01:00'), refusedOnce);

    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'upsell-request', acknowledged: true })]);
    expect(reminders(report).map((r) => r.at)).toEqual([`${TUESDAY}T17:00:00+01:00`]);
    expect(report.executions.filter((e) => e.status === 'RUNNING')).toEqual([]);
  });

  it('given the reminder refused when it is posted, then the CSM gets a manual follow-up to follow the open alerts up by hand, the run fails visibly, and the next business day is still reminded', async () => {
    let calls = 0;
    const firstReminderRefused: FunctionInterceptor = (id, input, call) =>
      id === 'remind-open-alerts' && calls++ === 0
        ? Promise.reject(new VendorRejected({ vendor: 'slack', operation: 'chat.postMessage', status: 200, code: 'msg_too_long' }))
        : TASK_REFUSED(id, input, call);
    const report = await run(scenario([request(`${TUESDAY}T10:00:00+01:00`, 'evt-up-8', 'Add 2 seats')], `${WEDNESDAY}T20:00:00+01:00`), firstReminderRefused);

    expect(reminders(report).map((r) => r.at)).toEqual([`${WEDNESDAY}T17:00:00+01:00`]);
    const followUps = report.tasks.filter((task) => task.playbook === 'alert-reminder');
    expect(followUps.map((task) => [task.kind, task.owner, task.createdAt, task.dueAt])).toEqual([
      ['manual-follow-up', 'csm-camille', `${TUESDAY}T17:00:00+01:00`, `${TUESDAY}T18:00:00+01:00`],
    ]);
    expect(reminderExecutions(report).map(([, status]) => status)).toEqual(['FAILED', 'SUCCEEDED', 'RUNNING']);
    expect(report.executions.find((e) => e.playbook === 'alert-reminder')?.error).toBe('AutomationFailed');
  });
});

describe('the 17:00 reminder posted to Slack', () => {
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

  it('given Slack answers the reminder 429, then 503, then OK, then its dispatch is tried again and one chat.postMessage is accepted for the reminder, the step never waiting', async () => {
    let attempts = 0;
    // Set right before the reminder's step: the alert's own post (10:00) goes through; the reminder's
    // post meets a 429 (Retry-After 3 s), then a 503, then Slack answers.
    const flakySlack: FunctionInterceptor = (id, input, call) => {
      if (id === 'remind-open-alerts') {
        attempts += 1;
        slack.rateLimitNextRequests(1, 3);
        slack.failNextRequests(1, { status: 503, body: 'Service Unavailable' });
      }
      return TASK_REFUSED(id, input, call);
    };
    const report = await simulate(parseScenario(scenario([request(`${TUESDAY}T10:00:00+01:00`, 'evt-up-9', 'Add 2 seats')], `${TUESDAY}T20:00:00+01:00`)), {
      intercept: flakySlack,
      vendorEnvironment: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_ALERT_CHANNEL: CHANNEL, SLACK_API_URL: slack.apiUrl },
    });

    const postsOfReminder = slack.requests.filter(
      (r) => r.path === '/api/chat.postMessage' && (r.body as { metadata?: { event_payload?: { alert_type?: string } } }).metadata?.event_payload?.alert_type === 'unacknowledged-reminder',
    );
    expect(postsOfReminder).toHaveLength(3);
    // The step ran once: the ledger kept the post, the dispatch drain retried it (a minute, then two, later).
    expect(attempts).toBe(1);
    // The alert, then its one reminder, in the channel.
    expect(slack.messages.map((m) => (m.metadata as { event_payload: { alert_type: string } }).event_payload.alert_type)).toEqual(['upsell-request', 'unacknowledged-reminder']);
    expect(slack.messages[1]!.text).toMatch(/^:bell: 1 alert without a task or a resolution yet \(no ✅\):\n• :moneybag: Upsell request — Salon Test Paris/);
    expect(slack.messages[1]!.metadata).toMatchObject({ event_payload: { idempotency_key: `reminder:acc-paris:${TUESDAY}` } });
    // Posted to Slack, so nothing went to the outbox; the reminder run ended well.
    expect(report.notifications).toEqual([]);
    expect(reminderExecutions(report).map(([, status]) => status)).toEqual(['SUCCEEDED', 'RUNNING']);
  });
});
