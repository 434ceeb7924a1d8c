import { describe, expect, it } from 'vitest';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { parisAccount, run as runScenario, withoutAlertReminder } from '../support/scenario.ts';

// client-feedback, e-mail (docs/playbooks.md; seed 000; design card: the first reply within 24 hours):
// a first-reply task due receivedAt + 24 h with the template; ClientReplySent for that message ends
// the wait; 24 hours without it → first-reply-overdue for the team lead, an alert-channel post, an
// SLA breach; after the reply (on time or late) → a feedback-meeting task.

// Tuesday 17 November 2026, 10:00 in Paris (no public holiday that week).
const RECEIVED = '2026-11-17T10:00:00+01:00';
const START = '2026-11-17T08:00:00+01:00';
let counter = 0;

function clientEmail(at = RECEIVED, overrides: Record<string, unknown> = {}) {
  return {
    at,
    type: 'ClientFeedbackReceived',
    detail: {
      eventId: `evt-feedback-${++counter}`,
      accountId: 'acc-paris',
      contactId: 'ct-champion',
      channel: 'email',
      kind: 'dissatisfaction',
      messageId: 'msg-helpdesk-42',
      text: 'The bookings page has been failing since Monday.',
      receivedAt: at,
      ...overrides,
    },
  };
}

function reply(at: string, inReplyTo = 'msg-helpdesk-42') {
  return { at, type: 'ClientReplySent', detail: { eventId: `evt-reply-${++counter}`, accountId: 'acc-paris', inReplyTo, at } };
}

const run = async (scenario: Parameters<typeof runScenario>[0], intercept?: FunctionInterceptor) => withoutAlertReminder(await runScenario(scenario, intercept));
const kinds = (report: Awaited<ReturnType<typeof run>>) => report.tasks.map((task) => [task.kind, task.owner, task.createdAt, task.dueAt]);

describe('client-feedback: the first reply within 24 hours', () => {
  it('given a client e-mail on Tuesday 10:00 and no reply, then a first-reply task due Wednesday 10:00, and at exactly 24 hours first-reply-overdue for the team lead, an alert posted and acknowledged', async () => {
    const report = await run({ start: START, until: '2026-11-19T10:00:00+01:00', accounts: [parisAccount()], events: [clientEmail()] });

    expect(kinds(report)).toEqual([
      ['first-reply', 'csm-camille', RECEIVED, '2026-11-18T10:00:00+01:00'],
      ['first-reply-overdue', 'lead-jordan', '2026-11-18T10:00:00+01:00', '2026-11-18T18:00:00+01:00'],
    ]);
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'first-reply-overdue', acknowledged: true })]);
    expect(report.notifications).toEqual([expect.objectContaining({ type: 'first-reply-overdue', at: '2026-11-18T10:00:00+01:00' })]);
  });

  it('given the reply at 23 hours, then no overdue task, and the feedback-meeting task then', async () => {
    const report = await run({ start: START, until: '2026-11-27T00:00:00+01:00', accounts: [parisAccount()], events: [clientEmail(), reply('2026-11-18T09:00:00+01:00')] });

    expect(kinds(report)).toEqual([
      ['first-reply', 'csm-camille', RECEIVED, '2026-11-18T10:00:00+01:00'],
      ['feedback-meeting', 'csm-camille', '2026-11-18T09:00:00+01:00', '2026-11-18T18:00:00+01:00'],
    ]);
    expect(report.alerts).toEqual([]);
    expect(report.executions.map((e) => [e.playbook, e.status])).toEqual([
      ['client-feedback', 'SUCCEEDED'],
      ['client-feedback', 'SUCCEEDED'],
    ]);
  });

  it('given the reply at 25 hours, then the overdue task at 24 hours, and the feedback meeting after the late reply', async () => {
    const report = await run({ start: START, until: '2026-11-27T00:00:00+01:00', accounts: [parisAccount()], events: [clientEmail(), reply('2026-11-18T11:00:00+01:00')] });

    expect(kinds(report).map(([kind, , createdAt]) => [kind, createdAt])).toEqual([
      ['first-reply', RECEIVED],
      ['first-reply-overdue', '2026-11-18T10:00:00+01:00'],
      ['feedback-meeting', '2026-11-18T11:00:00+01:00'],
    ]);
  });

  it('given the helpdesk delivers the reply before the client e-mail (events crossed), then no overdue task: the wait finds the reply', async () => {
    const report = await run({
      start: START,
      until: '2026-11-27T00:00:00+01:00',
      accounts: [parisAccount()],
      // Received at 10:00, delivered to us at 10:31, after the reply of 10:30.
      events: [reply('2026-11-17T10:30:00+01:00'), { ...clientEmail(), at: '2026-11-17T10:31:00+01:00' }],
    });

    expect(kinds(report).map(([kind]) => kind)).toEqual(['first-reply', 'feedback-meeting']);
  });

  it('given the client e-mail delivered twice and the reply at 2 hours, then one first-reply task, no overdue task, one meeting task', async () => {
    const email = clientEmail();
    const report = await run({
      start: START,
      until: '2026-11-27T00:00:00+01:00',
      accounts: [parisAccount()],
      events: [email, { ...email, at: '2026-11-17T10:00:30+01:00' }, reply('2026-11-17T12:00:00+01:00')],
    });

    expect(kinds(report).map(([kind]) => kind)).toEqual(['first-reply', 'feedback-meeting']);
    // Both deliveries of the e-mail, and the reply's run, end well.
    expect(report.executions.filter((e) => e.playbook === 'client-feedback').map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('given the reply delivered twice, then one meeting task and both deliveries end well', async () => {
    const report = await run({
      start: START,
      until: '2026-11-27T00:00:00+01:00',
      accounts: [parisAccount()],
      events: [clientEmail(), reply('2026-11-17T15:00:00+01:00'), { ...reply('2026-11-17T15:00:00+01:00'), at: '2026-11-17T15:01:00+01:00' }],
    });

    expect(kinds(report).map(([kind]) => kind)).toEqual(['first-reply', 'feedback-meeting']);
    expect(report.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
  });

  it('given a reply to another message, then it does not count: the overdue task comes at 24 hours', async () => {
    const report = await run({
      start: START,
      until: '2026-11-19T00:00:00+01:00',
      accounts: [parisAccount()],
      events: [clientEmail(), reply('2026-11-17T12:00:00+01:00', 'msg-helpdesk-other')],
    });

    expect(kinds(report).map(([kind]) => kind)).toEqual(['first-reply', 'first-reply-overdue']);
  });

  it('given an e-mail on Friday 18:30, then the reply is due Saturday 18:30: the 24 hours are plain hours, not business hours', async () => {
    const report = await run({ start: START, until: '2026-11-21T12:00:00+01:00', accounts: [parisAccount()], events: [clientEmail('2026-11-20T18:30:00+01:00')] });

    expect(kinds(report)[0]).toEqual(['first-reply', 'csm-camille', '2026-11-20T18:30:00+01:00', '2026-11-21T18:30:00+01:00']);
  });

  it('given the reply on 11 November (a public holiday in France), then the feedback meeting is due the next business day', async () => {
    const report = await run({
      start: '2026-11-10T08:00:00+01:00',
      until: '2026-11-20T00:00:00+01:00',
      accounts: [parisAccount()],
      events: [clientEmail('2026-11-10T16:00:00+01:00'), reply('2026-11-11T10:00:00+01:00')],
    });

    expect(kinds(report)[1]).toEqual(['feedback-meeting', 'csm-camille', '2026-11-11T10:00:00+01:00', '2026-11-12T18:00:00+01:00']);
  });

  it('given the task, then its body asks to reply by the due time and carries the first-reply template in the account’s language, addressed to the sender', async () => {
    const inputs: Record<string, unknown>[] = [];
    const spy: FunctionInterceptor = (id, input, call) => {
      if (id === 'create-task' && (input as { kind?: string }).kind === 'first-reply') inputs.push(input as Record<string, unknown>);
      return call();
    };
    const report = await run({ start: START, until: '2026-11-17T12:00:00+01:00', accounts: [parisAccount({ csmName: 'Camille Martin' })], events: [clientEmail()] }, spy);

    // The body names the sender: the execution hands create-task its sealed id, the task as filed its text.
    expect(inputs[0]!.details).toEqual({ sealed: expect.stringMatching(/^sld-/), accountId: 'acc-paris' });
    const details = String(report.tasks.find((task) => task.kind === 'first-reply')?.details);
    expect(details).toMatch(/^Reply to Alex Champion \(champion@example\.com\) by 2026-11-18T10:00:00\+01:00/);
    expect(details).toContain('Subject: Merci pour votre message');
    expect(details).toContain('Bonjour Alex Champion,');
    expect(details.trimEnd().endsWith('Camille Martin')).toBe(true);
  });
});

describe('client-feedback: meeting feedback becomes a client risk (seed 000)', () => {
  const team = { salesId: 'sales-ines', strategistId: 'strat-noa', expertId: 'expert-lou' };
  function meetingFeedback(at: string, overrides: Record<string, unknown> = {}) {
    return clientEmail(at, {
      channel: 'meeting',
      messageId: undefined,
      topics: ['promise', 'onboarding-speed'],
      text: 'The client expected the SMS module in the base plan.',
      quotes: ['On nous avait dit que c’était inclus.'],
      recordingUrl: 'https://recordings.example.com/m/42',
      analysis: 'The quote listed SMS as an add-on; the demo showed it.',
      actionPlan: 'Offer 3 months of SMS; fix the demo script.',
      ...overrides,
    });
  }
  const completed = (at: string, taskId: string) => ({ at, type: 'TaskCompleted', detail: { eventId: `evt-done-${++counter}`, accountId: 'acc-paris', taskId, at } });

  it('given a meeting about a promise and onboarding speed on Tuesday 15:00, then a client-risk owned by the CSM, and acknowledgement tasks for sales and the expert; unacknowledged, the team lead follows up on Thursday 15:00', async () => {
    const report = await run({ start: START, until: '2026-11-27T00:00:00+01:00', accounts: [parisAccount(team)], events: [meetingFeedback('2026-11-17T15:00:00+01:00')] });

    expect(report.risks).toEqual([expect.objectContaining({ kind: 'client-risk', origin: 'client-feedback', status: 'open' })]);
    expect(kinds(report)).toEqual(
      expect.arrayContaining([
        ['risk-acknowledgement', 'sales-ines', '2026-11-17T15:00:00+01:00', '2026-11-17T18:00:00+01:00'],
        ['risk-acknowledgement', 'expert-lou', '2026-11-17T15:00:00+01:00', '2026-11-17T18:00:00+01:00'],
        ['risk-acknowledgement', 'lead-jordan', '2026-11-19T15:00:00+01:00', '2026-11-19T18:00:00+01:00'],
      ]),
    );
    expect(report.tasks).toHaveLength(3);
  });

  it('given both acknowledge within the two business days (their tasks completed in the CRM), then no escalation', async () => {
    const first = await run({ start: START, until: '2026-11-17T16:00:00+01:00', accounts: [parisAccount(team)], events: [meetingFeedback('2026-11-17T15:00:00+01:00', { eventId: 'evt-meeting-1' })] });
    const [sales, expert] = first.tasks.map((task) => task.id);

    const report = await run({
      start: START,
      until: '2026-11-27T00:00:00+01:00',
      accounts: [parisAccount(team)],
      events: [meetingFeedback('2026-11-17T15:00:00+01:00', { eventId: 'evt-meeting-1' }), completed('2026-11-18T10:00:00+01:00', sales!), completed('2026-11-19T14:00:00+01:00', expert!)],
    });

    expect(kinds(report).map(([, owner]) => owner).sort()).toEqual(['expert-lou', 'sales-ines']);
    expect(report.executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
  });

  it('given only sales acknowledges, then the team lead is told that the expert has not', async () => {
    const first = await run({ start: START, until: '2026-11-17T16:00:00+01:00', accounts: [parisAccount(team)], events: [meetingFeedback('2026-11-17T15:00:00+01:00', { eventId: 'evt-meeting-2' })] });
    const inputs: Record<string, unknown>[] = [];
    const spy: FunctionInterceptor = (id, input, call) => {
      if (id === 'create-task' && (input as { ownerRole?: string }).ownerRole === 'teamLead') inputs.push(input as Record<string, unknown>);
      return call();
    };
    await run(
      {
        start: START,
        until: '2026-11-27T00:00:00+01:00',
        accounts: [parisAccount(team)],
        events: [meetingFeedback('2026-11-17T15:00:00+01:00', { eventId: 'evt-meeting-2' }), completed('2026-11-18T10:00:00+01:00', first.tasks.find((t) => t.owner === 'sales-ines')!.id)],
      },
      spy,
    );

    expect(inputs).toHaveLength(1);
    expect(String(inputs[0]!.details)).toMatch(/expert expert-lou has not acknowledged it/);
    expect(String(inputs[0]!.details)).not.toMatch(/sales-ines/);
  });

  it('given a topic whose Responsible the account does not name, then the CSM acknowledges it (single Authority, never nobody)', async () => {
    const report = await run({ start: START, until: '2026-11-17T16:00:00+01:00', accounts: [parisAccount()], events: [meetingFeedback('2026-11-17T15:00:00+01:00', { topics: ['roadmap'] })] });
    expect(kinds(report).map(([kind, owner]) => [kind, owner])).toEqual([['risk-acknowledgement', 'csm-camille']]);
  });

  it('given meeting feedback without topics, then the client risk alone, no acknowledgement to wait for', async () => {
    const report = await run({ start: START, until: '2026-11-27T00:00:00+01:00', accounts: [parisAccount(team)], events: [meetingFeedback('2026-11-17T15:00:00+01:00', { topics: undefined })] });

    expect(report.risks.map((risk) => risk.kind)).toEqual(['client-risk']);
    expect(report.tasks).toEqual([]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the meeting feedback delivered twice, then one risk and one task per role', async () => {
    const feedback = meetingFeedback('2026-11-17T15:00:00+01:00');
    const report = await run({ start: START, until: '2026-11-27T00:00:00+01:00', accounts: [parisAccount(team)], events: [feedback, { ...feedback, at: '2026-11-17T15:00:30+01:00' }] });

    expect(report.risks).toHaveLength(1);
    expect(kinds(report).map(([, owner]) => owner).sort()).toEqual(['expert-lou', 'lead-jordan', 'sales-ines']);
  });
});

describe('client-feedback: a suspension in the first months of billing cancels the sale (seed 000)', () => {
  const suspension = (at: string) => clientEmail(at, { kind: 'suspension-request', messageId: 'msg-suspend' });

  it('given billing from 1 October and a suspension e-mail on 17 November, then sale-cancelled is recorded, Sales is told directly, and the e-mail still gets its first-reply task', async () => {
    const inputs: string[] = [];
    const told: unknown[] = [];
    const spy: FunctionInterceptor = async (id, input, call) => {
      const result = await call();
      if (id === 'check-sale-cancellation') inputs.push(JSON.stringify(result));
      if (id === 'notify-person') told.push({ input, result });
      return result;
    };
    const report = await run(
      { start: START, until: '2026-11-17T12:00:00+01:00', accounts: [parisAccount({ billingStartedAt: '2026-10-01T09:00:00+02:00', salesId: 'sales-ines' })], events: [suspension(RECEIVED)] },
      spy,
    );

    expect(inputs).toEqual([expect.stringMatching(/"saleCancelled":true.*sale-cancelled: suspension requested on 2026-11-17, within 3 months of billing \(started 2026-10-01\)/)]);
    expect(told).toEqual([
      { input: expect.objectContaining({ recipientRole: 'sales', topic: 'sale-cancelled' }), result: expect.objectContaining({ notified: true }) },
    ]);
    expect(kinds(report).map(([kind]) => kind)).toEqual(['first-reply']);
  });

  it('given billing from 1 July, then a suspension on 17 November does not cancel the sale', async () => {
    const results: unknown[] = [];
    const spy: FunctionInterceptor = async (id, input, call) => {
      const result = await call();
      if (id === 'check-sale-cancellation') results.push(result);
      return result;
    };
    await run({ start: START, until: '2026-11-17T12:00:00+01:00', accounts: [parisAccount({ billingStartedAt: '2026-07-01T09:00:00+02:00' })], events: [suspension(RECEIVED)] }, spy);
    expect(results).toEqual([{ saleCancelled: false }]);
  });
});
