import { describe, expect, it } from 'vitest';
import { checkStoreCall } from '../../functions/nps/check-store-call.ts';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { findOpenRisk } from '../../functions/risks/find-open-risk.ts';
import { findTouchpoint } from '../../functions/accounts/find-touchpoint.ts';
import { openSealed } from '../../functions/adapters/sealed.ts';
import type { Sealed } from '../../functions/contracts/index.ts';
import { gatherDetractorContext, type GatheredDetractorContext } from '../../functions/nps/gather-detractor-context.ts';
import { planDetractorFollowUp } from '../../functions/nps/plan-detractor-follow-up.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { suppressNpsSurveys } from '../../functions/nps/suppress-nps-surveys.ts';
import { depsAt, failureOf, FRIDAY_MORNING, givenAnAccount, ledger, newAccountId, useLocalLedger } from '../support/ledger-fixture.ts';

useLocalLedger('cs-playbooks-nps-detractor-test');

// Salon Horizon (ledger-fixture): Clara Petit the champion, Tom Durand a user; MRR 1 200 €, ARR 14 400 €.
const ANSWERED_AT = '2026-11-12T10:00:00+01:00';
const answerOf = (accountId: string, contactId: string, eventId = 'evt-nps-9') => ({
  eventId,
  accountId,
  contactId,
  score: 3,
  comment: 'Les rappels SMS partent en retard.',
  respondedAt: ANSWERED_AT,
});

/** The texts the step sealed, as create-task will file them; the step's output names their ids only. */
async function textsOf(accountId: string, result: GatheredDetractorContext) {
  const text = async (ref: Sealed | '') => (ref === '' ? '' : String(await openSealed(ledger, ref, accountId)));
  return {
    details: await text(result.details),
    escalationDetails: await text(result.escalationDetails),
    callDetails: await text(result.callDetails),
    reviewDetails: await text(result.reviewDetails),
  };
}

describe('gather-detractor-context: what the system holds about the account, as the context review reads it', () => {
  it('given an earlier answer, an open churn risk and a call on record, when a user answers 3/10, then the details carry all of them and the revenue, and it is not escalated', async () => {
    const account = await givenAnAccount('context-full');
    await ledger.recordNpsResponse({ eventId: 'evt-nps-1', accountId: account.id, contactId: 'ct-clara', score: 8, band: 'passive', respondedAt: '2026-06-03T09:00:00+02:00' });
    await ledger.openRisk({ id: 'rsk-1', kind: 'churn-risk', accountId: account.id, status: 'open', origin: 'crm', openedAt: '2026-11-02T11:00:00+01:00' });
    await ledger.recordTouchpoint({ eventId: 'evt-tp-1', accountId: account.id, contactId: 'ct-clara', channel: 'call', at: '2026-10-20T15:00:00+02:00' });
    const detail = answerOf(account.id, 'ct-tom');
    await ledger.recordNpsResponse({ ...detail, band: 'detractor' });

    const gathered = await invoke(gatherDetractorContext, depsAt(FRIDAY_MORNING), { detail, band: 'detractor' });
    const result = { ...gathered, ...(await textsOf(account.id, gathered)) };

    // Execution state carries the sealed texts' ids: the texts, which name people, stay in the ledger.
    expect(JSON.stringify(gathered)).not.toMatch(/Tom Durand|Clara Petit/);
    expect(gathered).toMatchObject({ details: { sealed: expect.stringMatching(/^sld-/) }, escalationDetails: '', callDetails: { sealed: expect.any(String) } });
    expect(result.details).toContain('Respondent: Tom Durand, user; not the champion (the champion is Clara Petit)');
    expect(result.details).toContain('Other NPS answers from this account:\n- 8/10 (passive) on 2026-06-03 09:00 from Clara Petit (champion)');
    expect(result.details).toContain('Open risks:\n- churn-risk, origin crm, opened 2026-11-02 11:00');
    expect(result.details).toContain('Last touchpoints:\n- call with Clara Petit (champion) on 2026-10-20 15:00');
    expect(result.details).toContain('Revenue: MRR 1 200 €, ARR 14 400 €');
    expect(result).toMatchObject({ escalate: false, escalation: [], escalationDetails: '' });
    expect(result.callDetails).toMatch(/^Call Tom Durand \(user\)/);
  });

  it('given the champion answers, then it is escalated, and the team lead’s copy says why', async () => {
    const account = await givenAnAccount('context-champion');

    const gathered = await invoke(gatherDetractorContext, depsAt(FRIDAY_MORNING), { detail: answerOf(account.id, 'ct-clara'), band: 'detractor' });
    const result = { ...gathered, ...(await textsOf(account.id, gathered)) };

    expect(result).toMatchObject({ escalate: true, escalation: ['champion'] });
    expect(result.escalationDetails.split('\n')[0]).toBe('Escalated to you: the respondent is the account’s champion.');
  });

  it('given a stage whose escalationArr is 10 000 €, then the same user answer on a 14 400 € account is escalated for the ARR', async () => {
    const account = await givenAnAccount('context-arr');
    const settings = resolveSettings({ nps: { escalationArr: 10_000 } });

    const result = await invoke(gatherDetractorContext, depsAt(FRIDAY_MORNING, settings), { detail: answerOf(account.id, 'ct-tom'), band: 'detractor' });

    expect(result.escalation).toEqual(['arr']);
  });

  it('given the champion answers on an account with no team lead, then no escalation task (it would fall back to the CSM, a duplicate of the review), and the review says why', async () => {
    const account = await givenAnAccount('context-no-lead');
    await ledger.writeAccountState(account.id, { ...account, teamLeadId: undefined }, {}, (await ledger.readAccountState(account.id)).version);

    const gathered = await invoke(gatherDetractorContext, depsAt(FRIDAY_MORNING), { detail: answerOf(account.id, 'ct-clara'), band: 'detractor' });
    const result = { ...gathered, ...(await textsOf(account.id, gathered)) };

    expect(result).toMatchObject({ escalate: false, escalation: ['champion'], escalationDetails: '' });
    expect(result.details).toContain('Not escalated: the respondent is the account’s champion, but the account has no team lead on record');
  });
});

describe('suppress-nps-surveys: the account record says surveys are suppressed', () => {
  it('given an account, when a detractor’s plan starts, then npsSurveysSuppressed is true and the rest of the record is unchanged', async () => {
    const account = await givenAnAccount('suppress');

    const result = await invoke(suppressNpsSurveys, depsAt(FRIDAY_MORNING), { accountId: account.id });

    expect(result).toEqual({ suppressed: true, changed: true });
    expect(await ledger.getAccount(account.id)).toEqual({ ...account, npsSurveysSuppressed: true });
  });

  it('given surveys already suppressed, when a second detractor (or a redelivery) arrives, then nothing is written again', async () => {
    const account = await givenAnAccount('suppress-twice');
    await invoke(suppressNpsSurveys, depsAt(FRIDAY_MORNING), { accountId: account.id });
    const before = await ledger.readAccountState(account.id);

    const result = await invoke(suppressNpsSurveys, depsAt(FRIDAY_MORNING), { accountId: account.id });

    expect(result).toEqual({ suppressed: true, changed: false });
    expect((await ledger.readAccountState(account.id)).version).toBe(before.version);
  });

  it('given an account the ledger does not know, then AccountNotFound', async () => {
    const error = await failureOf(() => invoke(suppressNpsSurveys, depsAt(FRIDAY_MORNING), { accountId: newAccountId('suppress-unknown') }));
    expect(error.name).toBe('AccountNotFound');
  });
});

describe('plan-detractor-follow-up: the wake-ups in the account’s offset, and who calls', () => {
  it('given the default settings and an answer on Thursday, then the call check is Monday 09:00, the review 30 days on (Monday 14 December), and the CSM calls', async () => {
    const account = await givenAnAccount('plan');

    const plan = await invoke(planDetractorFollowUp, depsAt(FRIDAY_MORNING), { accountId: account.id, respondedAt: ANSWERED_AT });

    expect(plan).toEqual({
      callCheckAt: '2026-11-16T09:00:00+01:00',
      planReviewAt: '2026-12-14T09:00:00+01:00',
      contactedSince: '2026-11-12T10:00:00+01:00',
      callerRole: 'csm',
    });
  });

  it('given detractorCaller support and a cool-down of 3, then support calls on Tuesday', async () => {
    const account = await givenAnAccount('plan-support');
    const settings = resolveSettings({ nps: { detractorCaller: 'support', detractorCoolDown: 3 } });

    const plan = await invoke(planDetractorFollowUp, depsAt(FRIDAY_MORNING, settings), { accountId: account.id, respondedAt: ANSWERED_AT });

    expect(plan).toMatchObject({ callCheckAt: '2026-11-17T09:00:00+01:00', callerRole: 'support' });
  });

  it('given an answer stamped 60 days ahead (a vendor clock running ahead), then the waits count from now, never past the execution’s timeout', async () => {
    const account = await givenAnAccount('plan-future');

    const plan = await invoke(planDetractorFollowUp, depsAt(FRIDAY_MORNING), { accountId: account.id, respondedAt: '2027-01-11T10:00:00+01:00' });

    // Friday 13 November + 2 business days = Tuesday 17; + 30 days = Sunday 13 December → Monday 14.
    expect(plan).toEqual({
      callCheckAt: '2026-11-17T09:00:00+01:00',
      planReviewAt: '2026-12-14T09:00:00+01:00',
      contactedSince: '2026-11-13T10:00:00+01:00',
      callerRole: 'csm',
    });
  });
});

describe('find-touchpoint and find-open-risk: what a waking playbook re-reads', () => {
  it('given a call with Tom after the answer, then a call or meeting with Tom since the answer is found, and not with Clara', async () => {
    const account = await givenAnAccount('touchpoint');
    await ledger.recordTouchpoint({ eventId: 'evt-tp-2', accountId: account.id, contactId: 'ct-tom', channel: 'call', at: '2026-11-13T11:00:00+01:00' });
    const ask = (contactId: string) => invoke(findTouchpoint, depsAt(FRIDAY_MORNING), { accountId: account.id, contactId, since: ANSWERED_AT, channels: ['call', 'meeting'] });

    expect(await ask('ct-tom')).toEqual({ found: true });
    expect(await ask('ct-clara')).toEqual({ found: false });
  });

  it('given a call with Tom before the answer and an e-mail after it, then nothing is found', async () => {
    const account = await givenAnAccount('touchpoint-none');
    await ledger.recordTouchpoint({ eventId: 'evt-tp-3', accountId: account.id, contactId: 'ct-tom', channel: 'call', at: '2026-11-11T11:00:00+01:00' });
    await ledger.recordTouchpoint({ eventId: 'evt-tp-4', accountId: account.id, contactId: 'ct-tom', channel: 'email', at: '2026-11-13T11:00:00+01:00' });

    const result = await invoke(findTouchpoint, depsAt(FRIDAY_MORNING), { accountId: account.id, contactId: 'ct-tom', since: ANSWERED_AT, channels: ['call', 'meeting'] });

    expect(result).toEqual({ found: false });
  });

  it('given the risk the answer opened is still open, then it is found open; another risk id (a later risk of the account) is not', async () => {
    const account = await givenAnAccount('risk-status');
    await ledger.openRisk({ id: 'rsk-2', kind: 'churn-risk', accountId: account.id, status: 'open', origin: 'nps', openedAt: ANSWERED_AT });

    expect(await invoke(findOpenRisk, depsAt(FRIDAY_MORNING), { accountId: account.id, riskId: 'rsk-2' })).toEqual({ open: true });
    expect(await invoke(findOpenRisk, depsAt(FRIDAY_MORNING), { accountId: account.id, riskId: 'rsk-1' })).toEqual({ open: false });
  });

  it('given no open risk on the account, then the risk is found closed', async () => {
    const account = await givenAnAccount('risk-none');
    expect(await invoke(findOpenRisk, depsAt(FRIDAY_MORNING), { accountId: account.id, riskId: 'rsk-2' })).toEqual({ open: false });
  });
});

describe('check-store-call', () => {
  it('given a French account that never ordered on the store, then a store call', async () => {
    const account = await givenAnAccount('store');
    expect(await invoke(checkStoreCall, depsAt(FRIDAY_MORNING), { accountId: account.id, respondedAt: ANSWERED_AT })).toEqual({ storeCall: true });
  });

  it('given an account the ledger does not know, then AccountNotFound', async () => {
    const error = await failureOf(() => invoke(checkStoreCall, depsAt(FRIDAY_MORNING), { accountId: newAccountId('store-unknown'), respondedAt: ANSWERED_AT }));
    expect(error.name).toBe('AccountNotFound');
  });
});
