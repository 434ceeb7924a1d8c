import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';
import { npsAnswer, parisAccount, run, withoutNoContact, withoutAlertReminder, withoutWatchers } from '../support/scenario.ts';

// Friday 13 November 2026, in Paris (UTC+01:00).
const FRIDAY = '2026-11-13';

describe('nps-response in the simulator', () => {
  it('given an account in Paris, when a detractor answers on Friday at 17:30, then a context review is due that Friday at 18:00 and a churn risk opens', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      // The day of the answer; the cool-down, call and plan review that follow are in nps-detractor.test.ts.
      until: `${FRIDAY}T20:00:00+01:00`,
      accounts: [parisAccount()],
      events: [npsAnswer(`${FRIDAY}T17:30:00+01:00`, 3)],
    });
    // The respondent is the account's champion: the team lead gets their own copy (escalation).
    // Same creation time, so the report orders the two by id: compared in any order.
    expect(report.tasks).toHaveLength(2);
    expect(report.tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'detractor-context-review',
          accountId: 'acc-paris',
          playbook: 'nps-response',
          owner: 'csm-camille',
          createdAt: `${FRIDAY}T17:30:00+01:00`,
          dueAt: `${FRIDAY}T18:00:00+01:00`,
        }),
        expect.objectContaining({ kind: 'detractor-context-review', owner: 'lead-jordan', dueAt: `${FRIDAY}T18:00:00+01:00` }),
      ]),
    );
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'churn-risk', status: 'open', origin: 'nps', accountId: 'acc-paris' })]);
  });

  it('given an account in Paris, when a passive answers on Friday at 18:30, then the follow-up call is due on Monday at 18:00', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      accounts: [parisAccount()],
      events: [npsAnswer(`${FRIDAY}T18:30:00+01:00`, 7)],
    });
    expect(report.tasks.map((t) => [t.kind, t.dueAt])).toEqual([['nps-follow-up-call', '2026-11-16T18:00:00+01:00']]);
    expect(report.risks).toEqual([]);
  });

  it('given an account in Paris, when a passive answers on the evening before 11 November, then the call is due on the 12th (the public holiday is skipped)', async () => {
    const report = await run({
      start: '2026-11-10T08:00:00+01:00',
      accounts: [parisAccount()],
      events: [npsAnswer('2026-11-10T20:00:00+01:00', 8)],
    });
    expect(report.tasks.map((t) => t.dueAt)).toEqual(['2026-11-12T18:00:00+01:00']);
  });

  it('given the alerte-fidelisation preset, when a 5 arrives, then it is a medium answer (follow-up call), not a detractor', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      config: { nps: { preset: 'alerte-fidelisation' } },
      accounts: [parisAccount()],
      events: [npsAnswer(`${FRIDAY}T10:00:00+01:00`, 5)],
    });
    expect(report.tasks.map((t) => t.kind)).toEqual(['nps-follow-up-call']);
    expect(report.risks).toEqual([]);
  });

  it('given a promoter answer from an account that ordered on the store last month, then no task (store calls: nps-promoter.test.ts)', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      accounts: [parisAccount({ lastStoreOrderAt: '2026-10-20T11:00:00+02:00' })],
      events: [npsAnswer(`${FRIDAY}T10:00:00+01:00`, 10)],
    });
    expect(report.tasks).toEqual([]);
    expect(withoutAlertReminder(report).executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given an answer delivered three times, then one task and one risk exist, and every delivery ran to a successful end', async () => {
    const answer = npsAnswer(`${FRIDAY}T10:00:00+01:00`, 2);
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      accounts: [parisAccount()],
      events: [answer, { ...answer, at: `${FRIDAY}T10:00:05+01:00` }, { ...answer, at: `${FRIDAY}T11:30:00+01:00` }],
    });
    // The champion answered: context review (CSM and team lead), call after the cool-down, plan review; each once.
    expect(report.tasks.map((t) => `${t.kind} → ${t.owner}`).sort()).toEqual([
      'detractor-call → csm-camille',
      'detractor-context-review → csm-camille',
      'detractor-context-review → lead-jordan',
      'detractor-plan-review → csm-camille',
    ]);
    expect(report.risks).toHaveLength(1);
    // One alert in the channel, acknowledged once the context review was set.
    expect(report.alerts).toEqual([expect.objectContaining({ accountId: 'acc-paris', type: 'nps-detractor', acknowledged: true })]);
    expect(report.notifications).toHaveLength(1);
    // Each delivery walks the whole playbook, waits included; every step is idempotent on the
    // eventId, so the second and third find what the first wrote and create nothing.
    expect(withoutAlertReminder(report).executions.map((e) => [e.status, e.transitions])).toEqual([
      ['SUCCEEDED', 22],
      ['SUCCEEDED', 22],
      ['SUCCEEDED', 22],
    ]);
  });

  it('given two detractor answers on one account, then each gets its context review but the account keeps a single open churn risk', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      until: `${FRIDAY}T20:00:00+01:00`,
      accounts: [parisAccount()],
      events: [npsAnswer(`${FRIDAY}T09:30:00+01:00`, 1), npsAnswer(`${FRIDAY}T11:00:00+01:00`, 4, { contactId: 'ct-other' })],
    });
    // The first answer is the champion's, so it is also escalated to the team lead.
    expect(report.tasks.map((t) => `${t.kind} → ${t.owner}`).sort()).toEqual([
      'detractor-context-review → csm-camille',
      'detractor-context-review → csm-camille',
      'detractor-context-review → lead-jordan',
    ]);
    expect(report.risks).toHaveLength(1);
  });

  it('given an answer for an account the ledger never learns about, then after an hour of retries the execution fails visibly, raising the alarm, and creates no task', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      accounts: [parisAccount()],
      events: [npsAnswer(`${FRIDAY}T10:00:00+01:00`, 3, { accountId: 'acc-unknown' })],
    });
    expect(report.tasks).toEqual([]);
    expect(withoutAlertReminder(report).executions).toEqual([expect.objectContaining({ accountId: 'acc-unknown', status: 'FAILED', error: 'AccountNotFound' })]);
    // 1 + 2 + 4 + 8 + 16 + 32 minutes of AccountNotFound retries before giving up.
    // (In UTC: the ledger has no time zone for an account it does not know.)
    expect(report.executions[0]!.stoppedAt).toBe(`${FRIDAY}T10:03:00+00:00`);
  });

  it('given an answer after `until`, then it is not delivered and the run stops at `until`', async () => {
    const report = await run({
      start: `${FRIDAY}T08:00:00+01:00`,
      until: `${FRIDAY}T12:00:00+01:00`,
      accounts: [parisAccount()],
      events: [npsAnswer(`${FRIDAY}T10:00:00+01:00`, 7), npsAnswer(`${FRIDAY}T13:00:00+01:00`, 7)],
    });
    expect(withoutAlertReminder(report).executions).toHaveLength(1);
  });

  it('given the example scenario of the repository, when it is simulated twice, then both reports are identical', async () => {
    const scenario = parseScenario(JSON.parse(readFileSync('examples/nps-fortnight.scenario.json', 'utf8')));
    const first = await simulate(scenario);
    const second = await simulate(scenario);
    expect(second).toEqual(first);
    expect(first.tasks.length).toBeGreaterThan(0);
    // At `until`, detractor answers of the fortnight still wait for their plan review: running, never failed.
    expect(first.executions.every((e) => e.status === 'SUCCEEDED' || e.status === 'RUNNING')).toBe(true);
    expect(first.executions.some((e) => e.status === 'SUCCEEDED')).toBe(true);
  });

  it('given a scenario with a bad event, then it is refused with the place of the error', () => {
    expect(() =>
      parseScenario({ start: `${FRIDAY}T08:00:00+01:00`, accounts: [], events: [{ at: `${FRIDAY}T09:00:00+01:00`, type: 'NpsResponseReceived', detail: { eventId: 'e', accountId: 'a', contactId: 'c', score: 12, respondedAt: `${FRIDAY}T09:00:00+01:00` } }] }),
    ).toThrow(/events\[0\]\.detail\.score/);
  });

  it("given a vendor's own payload in the scenario (Typeform's NPS sample, for this account), when simulated, then it is what the vendor's translation makes of it: the detractor's context review", async () => {
    const typeform = JSON.parse(readFileSync('functions/ingest/vendors/samples/typeform-nps-detractor.json', 'utf8')) as { form_response: { hidden: Record<string, string> } };
    typeform.form_response.hidden = { account_id: 'acc-paris', contact_id: 'ct-champion' };

    const report = withoutNoContact(
      withoutAlertReminder(await run({ start: `${FRIDAY}T08:00:00+01:00`, until: `${FRIDAY}T12:00:00+01:00`, accounts: [parisAccount()], events: [{ at: `${FRIDAY}T10:00:00+01:00`, webhook: 'typeform', body: typeform }] })),
    );

    expect(report.executions.map((e) => e.playbook)).toContain('nps-response');
    expect(report.tasks.filter((t) => t.kind === 'detractor-context-review').map((t) => t.accountId)).toContain('acc-paris');
  });

  it("given a vendor payload the vendor would refuse, or an unknown vendor, then the scenario is refused, naming the place", () => {
    const at = `${FRIDAY}T10:00:00+01:00`;
    expect(() => parseScenario({ start: `${FRIDAY}T08:00:00+01:00`, accounts: [], events: [{ at, webhook: 'typeform', body: { event_id: 'x', event_type: 'form_response', form_response: {} } }] })).toThrow(/events\[0\]\.body: /);
    expect(() => parseScenario({ start: `${FRIDAY}T08:00:00+01:00`, accounts: [], events: [{ at, webhook: 'mailchimp', body: {} }] })).toThrow(/events\[0\]\.webhook: unknown vendor "mailchimp"; the vendors are events, typeform/);
  });

  it('given an answer that arrives before the CRM sync that creates its account, then the playbook waits for the account and does its work', async () => {
    const { id, ...record } = parisAccount({ id: 'acc-late' });
    const report = withoutNoContact(
      await run({
        start: `${FRIDAY}T08:00:00+01:00`,
        accounts: [],
        events: [
          npsAnswer(`${FRIDAY}T10:00:00+01:00`, 2, { accountId: 'acc-late' }),
          { at: `${FRIDAY}T10:02:30+01:00`, type: 'AccountUpdated', detail: { eventId: 'evt-crm-late', accountId: id, ...record } },
        ],
      }),
    );
    expect(report.tasks.map((t) => [t.kind, t.accountId])).toEqual([
      ['detractor-context-review', 'acc-late'],
      ['detractor-context-review', 'acc-late'], // the champion answered: the team lead's copy
      ['detractor-call', 'acc-late'],
      ['detractor-plan-review', 'acc-late'],
    ]);
    expect(report.risks).toHaveLength(1);
    expect(withoutAlertReminder(withoutWatchers(report)).executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});
