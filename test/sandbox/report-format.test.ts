import { beforeAll, describe, expect, it } from 'vitest';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { formatReport } from '../../sandbox/report/format.ts';
import { readableTime as time } from '../../sandbox/report/layout.ts';
import type { Report } from '../../sandbox/report/report.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { outage } from '../support/faults.ts';
import { npsAnswer, parisAccount, run } from '../support/scenario.ts';

// The report as a CSM reads it in a terminal (`playbooks simulate` without --json), from reports the
// simulator produced: a summary first, names with their ids, what each task asks, notes, and what every
// running execution waits for, each section in time order.

// Friday 13 November 2026 and Monday 16 November 2026, in Paris (UTC+01:00).
const FRIDAY = '2026-11-13';
const MONDAY = '2026-11-16';
const camille = { id: 'csm-camille', name: 'Camille Martin', slackId: 'U07CAMILLE', timezone: 'Europe/Paris', language: 'fr', role: 'csm' };
const lyon = parisAccount({ id: 'acc-lyon', name: 'Institut Lyon', contacts: [{ id: 'ct-lyon', email: 'owner@lyon.example.com', name: 'Louise Lyon', role: 'champion' }] });

/** The report as one flowing line: what a wrapped sentence says, wherever the lines broke. */
const flowing = (text: string) => text.replace(/\s*\n\s*/g, ' ');
/** The lines of the section whose heading starts with `title`, up to the next heading (details may hold blank lines). */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const isHeading = (index: number) => /^-+$/.test(lines[index + 1] ?? '') && lines[index + 1]!.length === lines[index]!.length;
  const start = lines.findIndex((line, index) => line.startsWith(title) && isHeading(index));
  if (start === -1) throw new Error(`no section ${title}`);
  const next = lines.findIndex((_, index) => index > start + 1 && isHeading(index));
  return lines.slice(start + 2, next === -1 ? undefined : next - 1);
}
/** The summary row of `label`: its counts (tasks, alerts, e-mails, failed executions, manual follow-ups). */
function countsOf(text: string, label: string): number[] {
  const row = section(text, 'Summary').find((line) => line.startsWith(`  ${label} `));
  if (!row) throw new Error(`no summary row for ${label}`);
  return row.slice(label.length + 2).trim().split(/\s+/).map(Number);
}

describe('the terminal report of a detractor answer, the CSM in the people directory, the run ending during the cool-down', () => {
  let report: Report;
  let text: string;
  const functionCalls: string[] = [];
  const recordCalls: FunctionInterceptor = async (_id, input, call) => {
    const output = await call();
    functionCalls.push(JSON.stringify({ input, output }));
    return output;
  };

  beforeAll(async () => {
    report = await run(
      {
        start: `${FRIDAY}T08:00:00+01:00`,
        until: `${FRIDAY}T20:00:00+01:00`,
        config: { people: [camille] },
        accounts: [parisAccount()],
        events: [npsAnswer(`${FRIDAY}T10:00:00+01:00`, 3)],
      },
      recordCalls,
    );
    text = formatReport(report);
  });

  it('then it opens with the summary: per playbook and per owner, tasks, alerts, e-mails, failed executions, manual follow-ups', () => {
    expect(text.split('\n').slice(0, 3)).toEqual(['Summary', '-------', expect.stringMatching(/^ +tasks +alerts +e-mails +failed executions +manual follow-ups$/)]);
    // The champion answered: the CSM's review and the team lead's copy; one alert, on the CSM's account.
    expect(countsOf(text, 'nps-response')).toEqual([2, 1, 0, 0, 0]);
    expect(countsOf(text, 'Camille Martin (csm-camille)')).toEqual([1, 1, 0, 0, 0]);
  });

  it('then a person of the directory is named with their id, and one missing from it keeps their id', () => {
    expect(text).toContain(`due ${FRIDAY}T18:00+01:00  detractor-context-review  for Camille Martin (csm-camille)`);
    expect(text).toContain(`due ${FRIDAY}T18:00+01:00  detractor-context-review  for lead-jordan, team lead`);
    expect(countsOf(text, 'lead-jordan')).toEqual([1, 0, 0, 0, 0]);
  });

  it('then each task says what it asks: its 360° context, indented under it', () => {
    const tasks = section(text, 'Tasks');
    const review = tasks.indexOf(`due ${FRIDAY}T18:00+01:00  detractor-context-review  for Camille Martin (csm-camille)`);
    expect(tasks.slice(review + 1, review + 4)).toEqual([
      '    Review the 360° context of a detractor NPS answer — Salon Test Paris',
      `    Salon Test Paris (acc-paris) · nps-response · created ${FRIDAY}T10:00+01:00 · open`,
      `        Detractor answer: 3/10 (detractor) on ${FRIDAY} 10:00`,
    ]);
    expect(tasks).toContain('        Respondent: Alex Champion, champion: the detractor is the account’s champion');
  });

  it('then the running execution says what it waits for and until when, in the report and in the JSON', () => {
    const running = report.executions.filter((execution) => execution.status === 'RUNNING' && execution.playbook === 'nps-response');
    expect(running.map((execution) => execution.waiting)).toEqual([{ state: 'CoolDown', kind: 'wait', since: `${FRIDAY}T10:00:00+01:00`, until: '2026-11-17T09:00:00+01:00' }]);
    expect(flowing(text)).toContain('waiting until 2026-11-17T09:00+01:00 for the detractor call, once the cool-down is over (Wait state CoolDown)');
    // Only a running execution waits.
    expect(report.executions.filter((execution) => execution.status !== 'RUNNING').every((execution) => execution.waiting === undefined)).toBe(true);
  });

  it('then no line is raw JSON', () => {
    expect(text.split('\n').filter((line) => /^\s*[{[]/.test(line))).toEqual([]);
  });

  it('then the names of the directory reached the report only: no function of the execution received or returned one', () => {
    expect(functionCalls.length).toBeGreaterThan(5);
    expect(functionCalls.filter((call) => call.includes(camille.name))).toEqual([]);
  });
});

describe('the terminal report of a client e-mail, the run ending while the playbook waits for the first reply', () => {
  const RECEIVED = '2026-11-17T10:00:00+01:00';
  let report: Report;
  let text: string;

  beforeAll(async () => {
    report = await run({
      start: '2026-11-17T08:00:00+01:00',
      until: '2026-11-17T12:00:00+01:00',
      accounts: [parisAccount()],
      events: [
        {
          at: RECEIVED,
          type: 'ClientFeedbackReceived',
          detail: { eventId: 'evt-feedback-1', accountId: 'acc-paris', contactId: 'ct-champion', channel: 'email', kind: 'dissatisfaction', messageId: 'msg-42', receivedAt: RECEIVED },
        },
      ],
    });
    text = formatReport(report);
  });

  it('then the execution waits for the callback until its timeout, the first reply being due 24 hours after the e-mail', () => {
    expect(report.executions.map((execution) => execution.waiting)).toEqual([{ state: 'AwaitFirstReply', kind: 'callback', since: RECEIVED, until: '2026-11-18T10:00:00+01:00' }]);
    expect(flowing(text)).toContain("waiting for the client's first reply until 2026-11-18T10:00+01:00 (Task AwaitFirstReply, then it times out)");
  });

  it('then the first-reply task carries its template, indented and wrapped to the width of the report', () => {
    const tasks = section(text, 'Tasks');
    expect(tasks).toEqual(expect.arrayContaining(['        Subject: Merci pour votre message', '        Bonjour Alex Champion,']));
    expect(tasks.every((line) => line.length <= 100)).toBe(true);
  });
});

describe('the terminal report of a failed step, a red alert without coupled signal and a promoter, on a Monday', () => {
  let report: Report;
  let text: string;

  beforeAll(async () => {
    report = await run(
      {
        start: `${MONDAY}T08:00:00+01:00`,
        until: `${MONDAY}T20:00:00+01:00`,
        config: { people: [camille], nps: { reviewUrl: 'https://reviews.example.com/cs-playbooks' } },
        accounts: [parisAccount(), lyon],
        events: [
          // The risk step fails on every attempt: a manual follow-up and a failed execution.
          npsAnswer(`${MONDAY}T10:00:00+01:00`, 2),
          npsAnswer(`${MONDAY}T11:00:00+01:00`, 10, { accountId: 'acc-lyon', contactId: 'ct-lyon' }),
          {
            at: `${MONDAY}T12:00:00+01:00`,
            type: 'CompetitorMeetingDetected',
            detail: { eventId: 'evt-red-1', accountId: 'acc-lyon', competitor: 'Planity', meetingAt: '2026-11-30T14:00:00+01:00', detectedAt: `${MONDAY}T12:00:00+01:00` },
          },
        ],
      },
      outage('open-risk', Number.POSITIVE_INFINITY),
    );
    text = formatReport(report);
  });

  it('then the summary counts the failed execution and the manual follow-up, for the playbook and for its CSM', () => {
    expect(countsOf(text, 'nps-response')).toEqual([2, 0, 1, 1, 1]);
    expect(countsOf(text, 'competitor-meeting')).toEqual([0, 1, 0, 0, 0]);
    expect(countsOf(text, 'Camille Martin (csm-camille)')).toEqual([2, 1, 1, 1, 1]);
    expect(section(text, 'Executions')).toEqual(expect.arrayContaining(['      failed: AutomationFailed']));
  });

  it('then the manual follow-up says which step failed, under the task', () => {
    const tasks = section(text, 'Tasks');
    const followUp = tasks.findIndex((line) => line.includes('manual-follow-up'));
    expect(tasks[followUp + 3]).toMatch(/^ {8}Step failed \(ThrottlingException: Rate exceeded\)/);
  });

  it("then the red alert's note is shown under the account, in the JSON too", () => {
    expect(report.notes).toEqual([{ accountId: 'acc-lyon', playbook: 'competitor-meeting', text: expect.stringContaining('No coupled signal'), at: `${MONDAY}T12:00:00+01:00` }]);
    const [line, ...note] = section(text, 'Account notes');
    expect(line).toBe(`${MONDAY}T12:00+01:00  Institut Lyon (acc-lyon)  competitor-meeting`);
    expect(note.every((line) => line.startsWith('    '))).toBe(true);
    expect(flowing(note.join('\n')).trim()).toBe('Red alert: a meeting with Planity on 2026-11-30T14:00:00+01:00. No coupled signal: a note on the account, no opportunity (seed 001).');
  });

  it('then the e-mail names its recipient, a contact of the account, with their id and address', () => {
    expect(section(text, 'E-mails')).toEqual([
      `${MONDAY}T11:00+01:00  recorded  review-request (fr)  Institut Lyon (acc-lyon)`,
      '    to Louise Lyon (ct-lyon) <owner@lyon.example.com>',
      '    subject: Votre avis compte pour nous',
    ]);
  });

  it('then the alert says when it was raised and how it was handled', () => {
    expect(section(text, 'Alerts')).toEqual([
      `${MONDAY}T12:00+01:00  red-alert  Institut Lyon (acc-lyon)  competitor-meeting`,
      `    ✅ acknowledged ${MONDAY}T12:00+01:00: red-alert-call planned for 2026-11-23T09:00:00+01:00`,
    ]);
  });

  it('then every section lists its items in time order', () => {
    const instants = (title: string) =>
      section(text, title)
        .map((line) => /^(?:due |  )?(\d{4}-\d{2}-\d{2}T[\d:]+[+-]\d{2}:\d{2}) /.exec(line)?.[1])
        .filter((at): at is string => at !== undefined)
        .map((at) => Date.parse(at));
    for (const title of ['Tasks', 'Risks', 'Alerts', 'Account notes', 'E-mails', 'Notifications', 'Executions']) {
      expect(instants(title), title).toEqual([...instants(title)].sort((a, b) => a - b));
    }
    expect(instants('Tasks').length).toBe(2);
  });
});

describe('the terminal report of an answer for an account the ledger does not know yet, the run ending during the retries', () => {
  it('then the execution waits for its next attempt, the error and the retry named, in the UTC of an unknown account', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      until: `${FRIDAY}T10:00:30+01:00`,
      accounts: [parisAccount()],
      events: [npsAnswer(`${FRIDAY}T10:00:00+01:00`, 3, { accountId: 'acc-unknown' })],
    });
    // AccountNotFound is retried after 1, 2, 4… minutes (no jitter: the CRM sync is awaited).
    expect(report.executions.find((execution) => execution.playbook === 'nps-response')?.waiting).toEqual({
      state: 'RecordResponse',
      kind: 'retry',
      since: `${FRIDAY}T09:00:00+00:00`,
      until: `${FRIDAY}T09:01:00+00:00`,
      error: 'AccountNotFound',
      retry: 1,
    });
    const text = formatReport(report);
    expect(flowing(text)).toContain(`waiting until ${FRIDAY}T09:01+00:00 to retry RecordResponse (retry 1, after AccountNotFound)`);
    // A retry is not a failure yet: nothing to count.
    expect(section(text, 'Summary')).toEqual(['Nothing done: no task, alert or e-mail.', expect.stringMatching(/^Executions: \d+ running$/)]);
  });
});

describe('the report of a step throttled once, the run ending during its jittered back-off', () => {
  const scenario = (until?: string) => ({
    start: `${FRIDAY}T08:00:00+01:00`,
    ...(until ? { until } : {}),
    accounts: [parisAccount()],
    events: [npsAnswer(`${FRIDAY}T10:00:00+01:00`, 7)],
  });

  it('then `until` is the instant the next attempt is made (the jitter drawn is not in the event log: the clock knows it)', async () => {
    const report = await run(scenario(`${FRIDAY}T10:00:00+01:00`), outage('create-task', 1));
    const waiting = report.executions.find((execution) => execution.playbook === 'nps-response')?.waiting;
    expect(waiting).toEqual({ state: 'CreateFollowUpCall', kind: 'retry', since: `${FRIDAY}T10:00:00+01:00`, until: expect.any(String), error: 'ThrottlingException', retry: 1 });

    // The same scenario to its end (the jitter is seeded by the scenario's start): when the second attempt came.
    let now = () => 0;
    const attempts: number[] = [];
    const throttledOnce = outage('create-task', 1);
    await simulate(parseScenario(scenario(`${FRIDAY}T10:05:00+01:00`)), {
      onStart: (sandbox) => void (now = () => sandbox.clock.now()),
      intercept: (id, input, call) => {
        if (id === 'create-task') attempts.push(now());
        return throttledOnce(id, input, call);
      },
    });
    expect(attempts).toHaveLength(2);
    expect(formatLocalIso(new Date(attempts[1]!), 'Europe/Paris')).toBe(waiting!.until);
    expect(flowing(formatReport(report))).toContain(`waiting until ${time(waiting!.until)} to retry CreateFollowUpCall (retry 1, after ThrottlingException)`);
  });
});

describe('the terminal report, built by hand for what a simulation rarely shows', () => {
  const empty: Report = { tasks: [], risks: [], emails: [], notifications: [], refunds: [], cases: [], alerts: [], executions: [], scheduledRuns: [], approvals: [], decisions: [], pendingAccounts: [], notes: [], accounts: [], people: [], warnings: [], deadLetters: [], dispatchesDue: 0, usage: [], health: [], digests: [], undelivered: [] };

  it('given the usage of two accounts, then one line each: since when idle, and this week against the 4 weeks before', () => {
    const text = formatReport({
      ...empty,
      accounts: [{ id: 'acc-paris', name: 'Salon Paris', csmId: 'csm-1', contacts: [] }],
      usage: [
        { accountId: 'acc-paris', asOf: '2026-11-23', lastActiveDay: '2026-11-22', idleDays: 0, thisWeek: { activeDays: 3, userDays: 7 }, fourWeekAverage: { activeDays: 5, userDays: 10 } },
        { accountId: 'acc-lyon', asOf: '2026-11-23', lastActiveDay: '2026-10-23', idleDays: 30, thisWeek: { activeDays: 0, userDays: 0 }, fourWeekAverage: { activeDays: 0.25, userDays: 0.75 } },
      ],
    });
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        'Usage (2 accounts, as of their local date)',
        'Salon Paris (acc-paris)  last used 2026-11-22; this week 7 user-days on 3 days, the 4 weeks before 10 a week',
        'acc-lyon  last used 2026-10-23 (30 days idle); this week 0 user-days on 0 days, the 4 weeks before 0.8 a week',
      ]),
    );
  });

  it('given an e-mail to an address that is not a contact of the account, then it shows the address alone, and the account by id when the ledger does not hold it', () => {
    const text = formatReport({
      ...empty,
      emails: [{ accountId: 'acc-092', playbook: 'nps-response', to: 'owner.092@example.com', template: 'review-request', language: 'fr', at: '2026-11-10T12:12:00+01:00', status: 'sent', subject: 'Votre avis compte pour nous' }],
    });
    expect(section(text, 'E-mails')).toEqual(['2026-11-10T12:12+01:00  sent  review-request (fr)  acc-092', '    to owner.092@example.com', '    subject: Votre avis compte pour nous']);
  });

  it('given a proof URL longer than a line, then it is kept whole on a line of its own, so that it can be copied', () => {
    const proofUrl = `https://files.example.com/proof/${'screenshot-'.repeat(10)}.png`;
    const text = formatReport({ ...empty, refunds: [{ accountId: 'acc-aurore', caseId: 'pch-1', at: '2026-11-12T16:40:00+01:00', proofUrl }] });
    expect(section(text, 'Refund requests')).toEqual(['2026-11-12T16:40+01:00  acc-aurore  case pch-1', '    proof', `    ${proofUrl}`]);
  });

  it('given a dispatch that became a dead letter and one still waiting for its vendor, then a section says so, with the call, the reason and the vendor\'s answer; none when every dispatch went out', () => {
    const text = formatReport({
      ...empty,
      deadLetters: [
        {
          accountId: 'acc-092',
          dispatchId: 'TASK#tsk-1@crmId',
          call: 'crm.upsertTask',
          reason: 'window-closed',
          lastError: 'VendorUnavailable: hubspot tasks/batch/upsert unavailable: HTTP 503 SERVICE_UNAVAILABLE',
          at: '2026-11-20T10:00:00+01:00',
          attempts: 52,
        },
      ],
      dispatchesDue: 1,
    });
    expect(section(text, 'Deliveries to the vendors')).toEqual([
      '2026-11-20T10:00+01:00  crm.upsertTask  acc-092  window-closed after 52 attempts',
      '    VendorUnavailable: hubspot tasks/batch/upsert unavailable: HTTP 503 SERVICE_UNAVAILABLE',
    ]);
    expect(text).toContain('Deliveries to the vendors: 1 dead letter, 1 still waiting');
    expect(formatReport(empty)).not.toContain('Deliveries to the vendors');
  });

  it('given no e-mail, then no e-mail section, and a summary that says nothing was done', () => {
    const text = formatReport(empty);
    expect(text).not.toContain('E-mails');
    expect(section(text, 'Summary')).toEqual(['Nothing done: no task, alert or e-mail.', 'Executions: none']);
  });
});
