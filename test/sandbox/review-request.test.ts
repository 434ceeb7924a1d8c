import { describe, expect, it } from 'vitest';
import { npsAnswer, parisAccount, run as runScenario, withoutAlertReminder } from '../support/scenario.ts';

// nps-response, promoter (docs/playbooks.md; seed 002 §13): a review-request e-mail (G2, Capterra) to the
// promoter, at most once per contact per 12 months, automatically or after the CSM's approval.

// Tuesday 15 December 2026, in Paris.
const ANSWER_AT = '2026-12-15T10:00:00+01:00';
const REVIEWS = { nps: { reviewSite: 'Capterra', reviewUrl: 'https://reviews.example.com/cs-playbooks' } };
// Ordered on the store last week: no store call, so the review request is the promoter's only output.
const account = (overrides: Parameters<typeof parisAccount>[0] = {}) =>
  parisAccount({
    lastStoreOrderAt: '2026-12-08T10:00:00+01:00',
    csmName: 'Camille Martin',
    contacts: [
      { id: 'ct-champion', email: 'champion@example.com', name: 'Alex Champion', role: 'champion' },
      { id: 'ct-user', email: 'sam.user@example.com', name: 'Sam User', role: 'user' },
    ],
    ...overrides,
  });
/** The scenario's report without the 17:00 reminder's executions, which every NPS answer also starts. */
const run = async (scenario: Parameters<typeof runScenario>[0]) => withoutAlertReminder(await runScenario(scenario));
const promoter = (at = ANSWER_AT, overrides: Record<string, unknown> = {}) => npsAnswer(at, 10, { contactId: 'ct-user', ...overrides });

describe('nps-response, promoter: the review request in auto mode', () => {
  it('given a review page configured, when a promoter answers, then one review-request e-mail to that contact, in the account’s language', async () => {
    const report = await run({ start: '2026-12-15T08:00:00+01:00', config: REVIEWS, accounts: [account()], events: [promoter()] });

    expect(report.emails).toEqual([
      { accountId: 'acc-paris', playbook: 'nps-response', to: 'sam.user@example.com', template: 'review-request', language: 'fr', at: ANSWER_AT, status: 'recorded', subject: 'Votre avis compte pour nous' },
    ]);
    expect(report.tasks).toEqual([]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given an English-speaking account, then the English template', async () => {
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      config: { ...REVIEWS, emails: { signature: 'The Customer Success team' } },
      accounts: [account({ language: 'en', csmName: undefined })],
      events: [promoter()],
    });

    expect(report.emails.map((e) => [e.language, e.subject])).toEqual([['en', 'Your opinion matters to us']]);
  });

  it('given no review page configured (the default), when a promoter answers, then no e-mail, and the run ends well', async () => {
    const report = await run({ start: '2026-12-15T08:00:00+01:00', accounts: [account()], events: [promoter()] });

    expect(report.emails).toEqual([]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the answer delivered three times, then one e-mail', async () => {
    const answer = promoter();
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      config: REVIEWS,
      accounts: [account()],
      events: [answer, { ...answer, at: '2026-12-15T10:00:20+01:00' }, { ...answer, at: '2026-12-16T09:00:00+01:00' }],
    });

    expect(report.emails).toHaveLength(1);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('given a review request in December, when the same contact is a promoter again in June and then the next January, then June sends nothing (12 months) and January sends the second', async () => {
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      until: '2028-01-20T00:00:00+01:00',
      config: REVIEWS,
      accounts: [account()],
      events: [promoter(), promoter('2027-06-15T10:00:00+02:00'), promoter('2028-01-11T10:00:00+01:00')],
    });

    expect(report.emails.map((e) => e.at)).toEqual([ANSWER_AT, '2028-01-11T10:00:00+01:00']);
  });

  it('given two contacts of the account answering 10 the same day, then each gets their own review request: the cap is per contact', async () => {
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      config: REVIEWS,
      accounts: [account()],
      events: [promoter(), promoter('2026-12-15T11:00:00+01:00', { contactId: 'ct-champion' })],
    });

    expect(report.emails.map((e) => e.to)).toEqual(['sam.user@example.com', 'champion@example.com']);
  });

  it('given a respondent the CRM does not list among the account’s contacts, then no e-mail: there is nobody to write to', async () => {
    const report = await run({ start: '2026-12-15T08:00:00+01:00', config: REVIEWS, accounts: [account()], events: [promoter(ANSWER_AT, { contactId: 'ct-gone' })] });

    expect(report.emails).toEqual([]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given a passive or a detractor answer, then no review request', async () => {
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      until: '2027-02-01T00:00:00+01:00',
      config: REVIEWS,
      accounts: [account()],
      events: [npsAnswer(ANSWER_AT, 8, { contactId: 'ct-user' }), npsAnswer('2026-12-16T10:00:00+01:00', 3, { contactId: 'ct-champion' })],
    });

    expect(report.emails).toEqual([]);
  });
});

describe('nps-response, promoter: the review request in approval mode', () => {
  const APPROVAL = { nps: { ...REVIEWS.nps, reviewRequestMode: 'approval' } };
  const approve = (at: string, extra: Record<string, unknown> = {}) => ({
    at,
    approve: { accountId: 'acc-paris', playbook: 'nps-response', reason: 'evt-review', decidedBy: 'csm-camille', ...extra },
  });
  const answer = () => promoter(ANSWER_AT, { eventId: 'evt-review' });

  it('given approval mode, when a promoter answers, then nothing is sent yet: the CSM has an email-approval task showing the e-mail, due today', async () => {
    const report = await run({ start: '2026-12-15T08:00:00+01:00', until: '2026-12-15T20:00:00+01:00', config: APPROVAL, accounts: [account()], events: [answer()] });

    expect(report.emails).toEqual([]);
    expect(report.tasks.map((t) => [t.kind, t.owner, t.dueAt])).toEqual([['email-approval', 'csm-camille', '2026-12-15T18:00:00+01:00']]);
    expect(report.approvals).toEqual([expect.objectContaining({ playbook: 'nps-response', template: 'review-request', status: 'pending' })]);
  });

  it('given the CSM approves with a new subject the next morning, then the e-mail goes out then, with their subject and the proposed text', async () => {
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      config: APPROVAL,
      accounts: [account()],
      events: [answer(), approve('2026-12-16T09:30:00+01:00', { edits: { subject: 'Un avis sur Capterra ?' } })],
    });

    expect(report.emails).toEqual([expect.objectContaining({ to: 'sam.user@example.com', template: 'review-request', at: '2026-12-16T09:30:00+01:00', subject: 'Un avis sur Capterra ?' })]);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'approved' })]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given the CSM cancels, then nothing is sent and the run ends well', async () => {
    const report = await run({ start: '2026-12-15T08:00:00+01:00', config: APPROVAL, accounts: [account()], events: [answer(), approve('2026-12-15T15:00:00+01:00', { decision: 'cancel' })] });

    expect(report.emails).toEqual([]);
    expect(report.approvals).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given nobody decides within the approval window (5 business days), then it expires unsent and the run ends well', async () => {
    const report = await run({ start: '2026-12-15T08:00:00+01:00', until: '2027-01-15T00:00:00+01:00', config: APPROVAL, accounts: [account()], events: [answer()] });

    expect(report.emails).toEqual([]);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('given a review request sent in December, when the same contact is a promoter again in June, then the CSM is not even asked: no approval, no task', async () => {
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      until: '2027-06-30T00:00:00+02:00',
      config: APPROVAL,
      accounts: [account()],
      events: [answer(), approve('2026-12-15T15:00:00+01:00'), promoter('2027-06-15T10:00:00+02:00', { eventId: 'evt-june' })],
    });

    expect(report.emails.map((e) => e.at)).toEqual(['2026-12-15T15:00:00+01:00']);
    expect(report.approvals.map((a) => a.reason)).toEqual(['evt-review']);
    // (June's store call is seed 001's rule: the account last ordered in December.)
    expect(report.tasks.filter((t) => t.kind === 'email-approval')).toHaveLength(1);
  });

  it('given two answers of the same contact waiting for approval, when the CSM approves both, then one e-mail: the cap holds at the send', async () => {
    const second = promoter('2026-12-17T10:00:00+01:00', { eventId: 'evt-review-2' });
    const report = await run({
      start: '2026-12-15T08:00:00+01:00',
      config: APPROVAL,
      accounts: [account()],
      events: [answer(), second, approve('2026-12-17T15:00:00+01:00'), approve('2026-12-17T15:05:00+01:00', { reason: 'evt-review-2' })],
    });

    expect(report.approvals.map((a) => a.status)).toEqual(['approved', 'approved']);
    expect(report.emails.map((e) => e.at)).toEqual(['2026-12-17T15:00:00+01:00']);
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});
