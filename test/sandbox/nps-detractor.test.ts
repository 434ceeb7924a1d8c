import { describe, expect, it } from 'vitest';
import type { ActionId } from '../../lib/catalog.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { npsAnswer, parisAccount, run, withoutNoContact, withoutAlertReminder, withoutWatchers } from '../support/scenario.ts';

// The detractor path of nps-response, end to end on the virtual clock: the deployed ASL, the real
// functions, a real DynamoDB API. Thursday 12 November 2026 in Paris (+01:00); 11 November is a holiday.
const THURSDAY = '2026-11-12';
const USER = { id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' } as const;

/** A Paris account with a champion and a user; ARR 10 800 € (under the 20 000 € escalation threshold) unless overridden. */
const account = (overrides: Parameters<typeof parisAccount>[0] = {}) =>
  parisAccount({ contacts: [...parisAccount().contacts, USER], ...overrides });

/** The user (not the champion) answers 3/10. */
const userAnswer = (at: string, overrides: Record<string, unknown> = {}) => npsAnswer(at, 3, { contactId: USER.id, ...overrides });

const touchpoint = (at: string, channel: 'call' | 'meeting' | 'email', contactId: string, eventId: string) => ({
  at,
  type: 'TouchpointLogged',
  detail: { eventId, accountId: 'acc-paris', contactId, channel, at },
});

const kindsOf = (report: Awaited<ReturnType<typeof run>>) => report.tasks.map((task) => [task.kind, task.owner, task.createdAt, task.dueAt]);

/** Records what each call to `actionId` returned. */
function spyOn(actionId: ActionId, results: unknown[]): FunctionInterceptor {
  return async (id, _input, call) => {
    const result = await call();
    if (id === actionId) results.push(result);
    return result;
  };
}

describe('nps-response, detractor: the whole follow-up', () => {
  it('given a user of a small account answers 3/10 on Thursday, when nobody calls them, then: context review today, detractor-call on Monday 09:00 after the weekend, plan review 30 days on; no escalation', async () => {
    const report = await run({ start: `${THURSDAY}T08:00:00+01:00`, accounts: [account()], events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)] });

    expect(kindsOf(report)).toEqual([
      ['detractor-context-review', 'csm-camille', `${THURSDAY}T10:00:00+01:00`, `${THURSDAY}T18:00:00+01:00`],
      // 2 business days after Thursday: Friday, Monday. Created when the cool-down ends, due that evening.
      ['detractor-call', 'csm-camille', '2026-11-16T09:00:00+01:00', '2026-11-16T18:00:00+01:00'],
      // 30 calendar days after 12 November is Saturday 12 December: the next business day.
      ['detractor-plan-review', 'csm-camille', '2026-12-14T09:00:00+01:00', '2026-12-14T18:00:00+01:00'],
    ]);
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', origin: 'nps', status: 'open' })]);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ status: 'SUCCEEDED', stoppedAt: '2026-12-14T09:00:00+01:00' })]);
  });

  it('given a call with that contact logged on Friday, when the cool-down ends on Monday, then no detractor-call is created, and the plan is still reviewed', async () => {
    const report = withoutNoContact(
      await run({
        start: `${THURSDAY}T08:00:00+01:00`,
        accounts: [account()],
        events: [userAnswer(`${THURSDAY}T10:00:00+01:00`), touchpoint('2026-11-13T15:00:00+01:00', 'call', USER.id, 'evt-call-1')],
      }),
    );

    expect(report.tasks.map((task) => task.kind)).toEqual(['detractor-context-review', 'detractor-plan-review']);
    expect(withoutAlertReminder(withoutWatchers(report)).executions.map((e) => [e.playbook, e.status])).toEqual([
      ['nps-response', 'SUCCEEDED'],
      ['touchpoint-log', 'SUCCEEDED'],
    ]);
  });

  it('given a meeting with that contact during the cool-down, then no detractor-call either', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      accounts: [account()],
      events: [userAnswer(`${THURSDAY}T10:00:00+01:00`), touchpoint('2026-11-16T08:30:00+01:00', 'meeting', USER.id, 'evt-meeting-1')],
    });

    expect(report.tasks.map((task) => task.kind)).not.toContain('detractor-call');
  });

  it('given only an e-mail with that contact and a call with the champion during the cool-down, then the detractor is still called', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      accounts: [account()],
      events: [
        userAnswer(`${THURSDAY}T10:00:00+01:00`),
        touchpoint('2026-11-13T09:30:00+01:00', 'email', USER.id, 'evt-email-1'),
        touchpoint('2026-11-13T11:00:00+01:00', 'call', 'ct-champion', 'evt-call-2'),
      ],
    });

    expect(report.tasks.filter((task) => task.kind === 'detractor-call')).toEqual([expect.objectContaining({ createdAt: '2026-11-16T09:00:00+01:00' })]);
  });

  it('given detractorCaller support, then the detractor-call goes to the support queue, the rest stays with the CSM', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      config: { nps: { detractorCaller: 'support' } },
      accounts: [account()],
      events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)],
    });

    expect(report.tasks.map((task) => [task.kind, task.owner])).toEqual([
      ['detractor-context-review', 'csm-camille'],
      ['detractor-call', 'support'],
      ['detractor-plan-review', 'csm-camille'],
    ]);
  });

  it('given the answer on Friday 23 October 2026 in Paris, when the clocks go back on Sunday 25th, then the call is created on Tuesday 27 at 09:00 +01:00 and the review on Monday 23 November at 09:00 +01:00', async () => {
    const report = await run({ start: '2026-10-23T08:00:00+02:00', accounts: [account()], events: [userAnswer('2026-10-23T10:00:00+02:00')] });

    expect(kindsOf(report)).toEqual([
      ['detractor-context-review', 'csm-camille', '2026-10-23T10:00:00+02:00', '2026-10-23T18:00:00+02:00'],
      ['detractor-call', 'csm-camille', '2026-10-27T09:00:00+01:00', '2026-10-27T18:00:00+01:00'],
      ['detractor-plan-review', 'csm-camille', '2026-11-23T09:00:00+01:00', '2026-11-23T18:00:00+01:00'],
    ]);
  });

  it('given an answer delivered three times (vendor retries), then each task exists once, one risk, and every delivery ends successfully', async () => {
    const answer = userAnswer(`${THURSDAY}T10:00:00+01:00`);
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      accounts: [account()],
      events: [answer, { ...answer, at: `${THURSDAY}T10:00:05+01:00` }, { ...answer, at: '2026-11-16T14:00:00+01:00' }],
    });

    expect(report.tasks.map((task) => task.kind)).toEqual(['detractor-context-review', 'detractor-call', 'detractor-plan-review']);
    expect(report.risks).toHaveLength(1);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('given the action plan starts, then the account’s NPS surveys are suppressed', async () => {
    const suppressions: unknown[] = [];
    await run({ start: `${THURSDAY}T08:00:00+01:00`, accounts: [account()], events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)] }, spyOn('suppress-nps-surveys', suppressions));

    expect(suppressions).toEqual([{ suppressed: true, changed: true }]);
  });

  it('given the churn risk is no longer open when the review is due, then no plan review (exit on goal)', async () => {
    // No playbook closes risks yet: the answer of find-open-risk stands for the closure the CRM will report.
    // Open when the cool-down ends (the call is made), closed by the review.
    let checks = 0;
    const closedAfterTheCall: FunctionInterceptor = (id, _input, call) => (id === 'find-open-risk' && ++checks > 1 ? Promise.resolve({ open: false }) : call());
    const report = await run({ start: `${THURSDAY}T08:00:00+01:00`, accounts: [account()], events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)] }, closedAfterTheCall);

    expect(report.tasks.map((task) => task.kind)).toEqual(['detractor-context-review', 'detractor-call']);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ status: 'SUCCEEDED', stoppedAt: '2026-12-14T09:00:00+01:00' })]);
  });

  it('given the churn risk closed during the cool-down, then neither the call nor the plan review: the playbook’s goal is met (exit on goal)', async () => {
    const riskClosed: FunctionInterceptor = (id, _input, call) => (id === 'find-open-risk' ? Promise.resolve({ open: false }) : call());
    const report = await run({ start: `${THURSDAY}T08:00:00+01:00`, accounts: [account()], events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)] }, riskClosed);

    expect(report.tasks.map((task) => task.kind)).toEqual(['detractor-context-review']);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ status: 'SUCCEEDED', stoppedAt: '2026-11-16T09:00:00+01:00' })]);
  });

  it('given the answer opened a churn risk, then each exit-on-goal check asks about that risk, by its id', async () => {
    const opened: unknown[] = [];
    const asked: unknown[] = [];
    const spy: FunctionInterceptor = async (id, input, call) => {
      const result = await call();
      if (id === 'open-risk') opened.push((result as { riskId: string }).riskId);
      if (id === 'find-open-risk') asked.push(input);
      return result;
    };
    const report = await run({ start: `${THURSDAY}T08:00:00+01:00`, accounts: [account()], events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)] }, spy);

    expect(opened).toEqual([report.risks[0]!.id]);
    expect(asked).toEqual([
      { accountId: 'acc-paris', riskId: report.risks[0]!.id },
      { accountId: 'acc-paris', riskId: report.risks[0]!.id },
    ]);
  });

  it('given an answer stamped 60 days ahead by the vendor’s clock and the longest plan review, then the waits count from its arrival: call on Monday, review 180 days on, and the execution ends before its timeout', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      config: { nps: { actionPlanReviewDays: 180 } },
      accounts: [account()],
      events: [{ ...userAnswer('2027-01-11T10:00:00+01:00'), at: `${THURSDAY}T10:00:00+01:00` }],
    });

    expect(report.tasks.map((task) => [task.kind, task.createdAt])).toEqual([
      ['detractor-context-review', `${THURSDAY}T10:00:00+01:00`],
      ['detractor-call', '2026-11-16T09:00:00+01:00'],
      // 12 November 2026 + 180 days = Tuesday 11 May 2027.
      ['detractor-plan-review', '2027-05-11T09:00:00+02:00'],
    ]);
    expect(withoutAlertReminder(withoutWatchers(report)).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given an answer stamped in the future and a call with that contact the next day, then the call counts: no detractor-call', async () => {
    const report = withoutNoContact(
      await run({
        start: `${THURSDAY}T08:00:00+01:00`,
        accounts: [account()],
        events: [{ ...userAnswer('2026-11-20T10:00:00+01:00'), at: `${THURSDAY}T10:00:00+01:00` }, touchpoint('2026-11-13T15:00:00+01:00', 'call', USER.id, 'evt-call-9')],
      }),
    );

    expect(report.tasks.map((task) => task.kind)).toEqual(['detractor-context-review', 'detractor-plan-review']);
  });
});

describe('nps-response, detractor: escalation to the team lead', () => {
  // Both reviews are created at the same instant, which the report orders by id: sorted by owner here.
  const contextReviews = (report: Awaited<ReturnType<typeof run>>) =>
    report.tasks
      .filter((task) => task.kind === 'detractor-context-review')
      .map((task) => [task.owner, task.dueAt])
      .sort(([a], [b]) => a!.localeCompare(b!));

  it('given an account with ARR of 24 000 €, when a user answers 3/10, then the team lead gets their own context review, due today like the CSM’s', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      until: `${THURSDAY}T20:00:00+01:00`,
      accounts: [account({ mrr: 2_000, arr: 24_000 })],
      events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)],
    });

    expect(contextReviews(report)).toEqual([
      ['csm-camille', `${THURSDAY}T18:00:00+01:00`],
      ['lead-jordan', `${THURSDAY}T18:00:00+01:00`],
    ]);
  });

  it('given a small account, when the champion answers 3/10, then the team lead gets a context review', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      until: `${THURSDAY}T20:00:00+01:00`,
      accounts: [account()],
      events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 3, { contactId: 'ct-champion' })],
    });

    expect(contextReviews(report).map(([owner]) => owner)).toEqual(['csm-camille', 'lead-jordan']);
  });

  it('given a small account and a user answering, then only the CSM reviews the context', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      until: `${THURSDAY}T20:00:00+01:00`,
      accounts: [account()],
      events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)],
    });

    expect(contextReviews(report).map(([owner]) => owner)).toEqual(['csm-camille']);
  });

  it('given the champion answers on an account with no team lead, then only the CSM’s context review: no copy that would fall back to the CSM', async () => {
    const { teamLeadId: _lead, ...withoutLead } = account();
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      until: `${THURSDAY}T20:00:00+01:00`,
      accounts: [withoutLead],
      events: [npsAnswer(`${THURSDAY}T10:00:00+01:00`, 3, { contactId: 'ct-champion' })],
    });

    expect(contextReviews(report)).toEqual([['csm-camille', `${THURSDAY}T18:00:00+01:00`]]);
  });

  it('given escalationArr raised to 30 000 € for the stage, then a 24 000 € account is not escalated', async () => {
    const report = await run({
      start: `${THURSDAY}T08:00:00+01:00`,
      until: `${THURSDAY}T20:00:00+01:00`,
      config: { nps: { escalationArr: 30_000 } },
      accounts: [account({ mrr: 2_000, arr: 24_000 })],
      events: [userAnswer(`${THURSDAY}T10:00:00+01:00`)],
    });

    expect(contextReviews(report).map(([owner]) => owner)).toEqual(['csm-camille']);
  });
});

describe('nps-response, detractor: the plan review', () => {
  it('given an answer on Monday 2 November 2026, then the plan review is created on Wednesday 2 December at 09:00, due that evening', async () => {
    const report = await run({ start: '2026-11-02T08:00:00+01:00', accounts: [account()], events: [userAnswer('2026-11-02T15:00:00+01:00')] });

    expect(report.tasks.filter((task) => task.kind === 'detractor-plan-review').map((task) => [task.owner, task.createdAt, task.dueAt])).toEqual([
      ['csm-camille', '2026-12-02T09:00:00+01:00', '2026-12-02T18:00:00+01:00'],
    ]);
  });

  it('given actionPlanReviewDays of 180 (the longest the settings allow) and an answer just before Christmas, then the review still comes before the execution times out', async () => {
    const report = await run({
      start: '2026-12-23T08:00:00+01:00',
      config: { nps: { actionPlanReviewDays: 180 } },
      accounts: [account()],
      events: [userAnswer('2026-12-23T17:00:00+01:00')],
    });

    // 23 December + 180 days = Monday 21 June 2027.
    expect(report.tasks.filter((task) => task.kind === 'detractor-plan-review').map((task) => task.createdAt)).toEqual(['2027-06-21T09:00:00+02:00']);
    expect(withoutAlertReminder(withoutWatchers(report)).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });
});
