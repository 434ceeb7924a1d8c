import { describe, expect, it } from 'vitest';
import { awaitSaveOutcome } from '../../functions/pre-churn/await-save-outcome.ts';
import type { CrmRisk, CompanyUpdate, OutboundPorts } from '../../functions/adapters/ports.ts';
import { readPreChurnCase } from '../../functions/adapters/pre-churn-cases.ts';
import type { TaskCallbacks } from '../../functions/adapters/step-functions/task-callbacks.ts';
import { TaskTokenGone } from '../../functions/adapters/step-functions/task-callbacks.ts';
import type { AccountRecord } from '../../functions/contracts/index.ts';
import { notifyPerson } from '../../functions/alerts/notify-person.ts';
import { openPreChurn, type OpenPreChurnResult } from '../../functions/pre-churn/open-pre-churn.ts';
import { planSaveWait } from '../../functions/pre-churn/plan-save-wait.ts';
import { recordRetentionCase } from '../../functions/pre-churn/record-retention-case.ts';
import { recordSaveOutcome } from '../../functions/pre-churn/record-save-outcome.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { setPlanExpiry } from '../../functions/pre-churn/set-plan-expiry.ts';
import { upsertAccount } from '../../functions/accounts/upsert-account.ts';
import { invokeThenDeliver, accountUpdated, depsAt, failureOf, ledger, newAccountId, salonHorizon, useLocalLedger } from '../support/ledger-fixture.ts';

// The pre-churn functions against a real DynamoDB API (dynalite): the case record every step meets on
// is written with optimistic concurrency, so the cancellation, the executions parked on the outcome and
// the outcome's deliveries settle in one order whatever their arrival.
useLocalLedger('cs-playbooks-pre-churn-functions-test');

const SIGNED = '2026-11-02T15:00:00+01:00'; // Monday 2 November, Paris
const PROOF = 'https://files.example.com/proof/client-mail.png';
const at = (iso: string) => new Date(iso);

async function givenAnAccount(label: string, overrides: Partial<AccountRecord> = {}): Promise<AccountRecord> {
  const account = { ...salonHorizon(newAccountId(label)), signedAt: SIGNED, salesId: 'sales-sam', onboardingId: 'onb-olga', ...overrides };
  const { id, ...record } = account;
  await invoke(upsertAccount, depsAt(at(SIGNED)), accountUpdated(id, `evt-sync-${id}`, record));
  return account;
}

const cancellation = (accountId: string, requestedAt: string, eventId = `evt-cancel-${accountId}`) => ({ detail: { eventId, accountId, requestedAt, channel: 'sms' } });
const outcome = (accountId: string, kind: 'saved' | 'lost', eventId: string, proofUrl?: string, when = '2026-11-12T10:00:00+01:00') => ({
  detail: { eventId, accountId, outcome: kind, ...(proofUrl ? { proofUrl } : {}), at: when },
});
const open = async (accountId: string, requestedAt = '2026-11-10T10:00:00+01:00') =>
  (await invoke(openPreChurn, depsAt(at(requestedAt)), cancellation(accountId, requestedAt))) as Extract<OpenPreChurnResult, { route: 'pre-churn' }>;

/** Records what a function resumed; a token in `gone` answers as Step Functions does for a closed task. */
function recordingCallbacks(gone: string[] = []) {
  const resumed: { token: string; output: unknown }[] = [];
  const callbacks: TaskCallbacks = {
    async sendTaskSuccess(token, output) {
      if (gone.includes(token)) throw new TaskTokenGone('TaskTimedOut');
      resumed.push({ token, output });
    },
    sendTaskFailure: async () => {
      throw new Error('not expected');
    },
  };
  return { resumed, callbacks };
}

describe('open-pre-churn: the window and the owner', () => {
  it('given a cancellation on day 14, then a pre-churn case owned by Sales (no welcome call yet), due to the team lead after 5 business days', async () => {
    const account = await givenAnAccount('open-day-14');
    const opened = await open(account.id, '2026-11-16T10:00:00+01:00');

    expect(opened).toMatchObject({ route: 'pre-churn', created: true, days: 14, windowDays: 14, ownerRole: 'sales', owner: 'sales-sam', informedRole: 'onboarding', informed: 'onb-olga' });
    // Monday 16 + 5 business days = Monday 23, end of business hours.
    expect(opened.saveDeadline).toBe('2026-11-23T18:00:00+01:00');
    expect((await readPreChurnCase(ledger, account.id, opened.caseId)).record).toMatchObject({ status: 'open', opened: { eventId: `evt-cancel-${account.id}`, channel: 'sms' } });
    expect(opened.saveTaskDetails).toContain('14 days after signing on 2026-11-02');
  });

  it('given a cancellation on day 15, then churn, and no case', async () => {
    const account = await givenAnAccount('open-day-15');
    const routed = await invoke(openPreChurn, depsAt(at('2026-11-17T10:00:00+01:00')), cancellation(account.id, '2026-11-17T10:00:00+01:00'));

    expect(routed).toMatchObject({ route: 'churn-risk', why: 'beyond-window', days: 15 });
    expect(await ledger.scan('pre-churn-case').then((items) => items.filter((i) => JSON.stringify(i).includes(account.id)))).toEqual([]);
  });

  it('given an account without a signature on file, then churn', async () => {
    const account = await givenAnAccount('open-unsigned', { signedAt: undefined });
    expect(await invoke(openPreChurn, depsAt(at('2026-11-10T10:00:00+01:00')), cancellation(account.id, '2026-11-10T10:00:00+01:00'))).toMatchObject({
      route: 'churn-risk',
      why: 'no-signature',
    });
  });

  it('given the welcome call done, then the onboarding AM owns it and Sales is told', async () => {
    const account = await givenAnAccount('open-after-wc', { welcomeCallAt: '2026-11-06T11:00:00+01:00' });
    expect(await open(account.id)).toMatchObject({ ownerRole: 'onboarding', owner: 'onb-olga', informedRole: 'sales', informed: 'sales-sam' });
  });

  it('given the cancellation delivered again, or a second request for the same contract, then it joins the case the first one opened', async () => {
    const account = await givenAnAccount('open-again');
    const first = await open(account.id);
    const second = (await invoke(openPreChurn, depsAt(at('2026-11-11T09:00:00+01:00')), cancellation(account.id, '2026-11-11T09:00:00+01:00', 'evt-cancel-2'))) as typeof first;

    expect(second).toMatchObject({ caseId: first.caseId, created: false, days: first.days, saveDeadline: first.saveDeadline });
  });
});

describe('await-save-outcome and record-save-outcome: the wait and the outcome meet on the case', () => {
  it('given an execution parked on the case, when the outcome is recorded, then it is resumed once with it; a redelivery resumes nothing more', async () => {
    const account = await givenAnAccount('outcome-resume');
    const { caseId } = await open(account.id);
    const parked = recordingCallbacks();
    await invoke(awaitSaveOutcome, { ...depsAt(at('2026-11-10T10:00:01+01:00')), callbacks: parked.callbacks }, { accountId: account.id, caseId, handled: '', executionId: 'exec-1', taskToken: 'token-1' });
    expect(parked.resumed).toEqual([]);

    const recorder = recordingCallbacks();
    const deps = { ...depsAt(at('2026-11-12T10:00:00+01:00')), callbacks: recorder.callbacks };
    expect(await invoke(recordSaveOutcome, deps, outcome(account.id, 'lost', 'evt-out-1', PROOF))).toMatchObject({ caseId, result: 'recorded', status: 'lost', resumed: 1 });
    expect(await invoke(recordSaveOutcome, deps, outcome(account.id, 'lost', 'evt-out-1', PROOF))).toMatchObject({ result: 'repeated', resumed: 0 });

    expect(recorder.resumed).toEqual([{ token: 'token-1', output: { caseId, status: 'lost', outcome: 'lost', eventId: 'evt-out-1', at: '2026-11-12T10:00:00+01:00', proofUrl: PROOF } }]);
  });

  it('given the outcome delivered before the cancellation, then it is kept, and the wait that starts later is resumed at once', async () => {
    const account = await givenAnAccount('outcome-first');
    const early = await invoke(recordSaveOutcome, { ...depsAt(at('2026-11-10T09:00:00+01:00')), ...recordingCallbacks() }, outcome(account.id, 'saved', 'evt-out-early', undefined, '2026-11-10T09:00:00+01:00'));
    expect(early).toMatchObject({ result: 'recorded', status: 'saved', resumed: 0 });
    expect(early).not.toHaveProperty('followUp');

    const { caseId } = await open(account.id);
    const parked = recordingCallbacks();
    expect(await invoke(awaitSaveOutcome, { ...depsAt(at('2026-11-10T10:00:01+01:00')), callbacks: parked.callbacks }, { accountId: account.id, caseId, handled: '', executionId: 'exec-1', taskToken: 'token-1' })).toEqual({
      caseId,
      resumed: true,
    });
    expect(parked.resumed).toEqual([{ token: 'token-1', output: expect.objectContaining({ status: 'saved', eventId: 'evt-out-early' }) }]);
  });

  it('given a Lambda retry of the wait (same execution, new token), then the new token replaces the old: the outcome resumes it with the new one', async () => {
    const account = await givenAnAccount('outcome-retry');
    const { caseId } = await open(account.id);
    for (const token of ['token-1', 'token-2']) {
      await invoke(awaitSaveOutcome, { ...depsAt(at('2026-11-10T10:00:01+01:00')), ...recordingCallbacks() }, { accountId: account.id, caseId, handled: '', executionId: 'exec-1', taskToken: token });
    }
    const recorder = recordingCallbacks();
    await invoke(recordSaveOutcome, { ...depsAt(at('2026-11-12T10:00:00+01:00')), callbacks: recorder.callbacks }, outcome(account.id, 'saved', 'evt-out-2'));
    expect(recorder.resumed.map((r) => r.token)).toEqual(['token-2']);
  });

  it('given a case concluded saved, when a "lost" comes, then nothing changes and a person is asked to settle it', async () => {
    const account = await givenAnAccount('outcome-conflict');
    await open(account.id);
    const deps = { ...depsAt(at('2026-11-12T10:00:00+01:00')), ...recordingCallbacks() };
    await invoke(recordSaveOutcome, deps, outcome(account.id, 'saved', 'evt-out-saved'));
    const conflict = await invoke(recordSaveOutcome, deps, outcome(account.id, 'lost', 'evt-out-lost', PROOF));

    expect(conflict).toMatchObject({ result: 'conflicting', status: 'saved', followUp: 'conflicting-outcome', ownerRole: 'sales' });
    expect((conflict as { followUpDetails: string }).followUpDetails).toMatch(/already concluded saved/);
  });

  it('given the playbook stopped waiting (its waits ended and its token is gone), when an outcome comes, then a person is asked to act on it', async () => {
    const account = await givenAnAccount('outcome-late');
    const { caseId } = await open(account.id);
    await invoke(awaitSaveOutcome, { ...depsAt(at('2026-11-10T10:00:01+01:00')), ...recordingCallbacks() }, { accountId: account.id, caseId, handled: '', executionId: 'exec-1', taskToken: 'token-old' });
    const late = await invoke(
      recordSaveOutcome,
      { ...depsAt(at('2026-12-30T10:00:00+01:00')), ...recordingCallbacks(['token-old']) },
      outcome(account.id, 'lost', 'evt-out-late', PROOF, '2026-12-30T10:00:00+01:00'),
    );

    expect(late).toMatchObject({ result: 'recorded', resumed: 0, followUp: 'late-outcome', ownerRole: 'sales' });
    expect((await readPreChurnCase(ledger, account.id, caseId)).record!.waiters['exec-1']).toMatchObject({ state: 'gone' });
  });

  it('given an account without a signature, when an outcome comes, then nothing can hold it: a person follows it up', async () => {
    const account = await givenAnAccount('outcome-unsigned', { signedAt: undefined });
    expect(await invoke(recordSaveOutcome, { ...depsAt(at('2026-11-12T10:00:00+01:00')), ...recordingCallbacks() }, outcome(account.id, 'lost', 'evt-x', PROOF))).toMatchObject({
      followUp: 'no-pre-churn-contract',
      ownerRole: 'csm',
    });
  });
});

describe('plan-save-wait: each wait’s end, once', () => {
  it('given the save phase, then the Task waits until the deadline fixed at the opening (Tuesday 10 + 5 business days, 11 November a holiday: Wednesday 18); the late phase 30 days more, the same when planned again', async () => {
    const account = await givenAnAccount('plan');
    const { caseId, saveDeadline } = await open(account.id, '2026-11-10T10:00:00+01:00');

    const save = await invoke(planSaveWait, depsAt(at('2026-11-10T10:00:02+01:00')), { accountId: account.id, caseId, phase: 'save' });
    expect(saveDeadline).toBe('2026-11-18T18:00:00+01:00');
    expect(save).toEqual({ phase: 'save', until: saveDeadline, timeoutSeconds: 8 * 86_400 + 8 * 3_600 - 2 });
    const late = await invoke(planSaveWait, depsAt(at('2026-11-17T18:00:00+01:00')), { accountId: account.id, caseId, phase: 'late' });
    expect(late.until).toBe('2026-12-17T18:00:00+01:00');
    const again = await invoke(planSaveWait, depsAt(at('2026-11-17T18:05:00+01:00')), { accountId: account.id, caseId, phase: 'late' });
    expect(again.until).toBe(late.until);
  });
});

describe('plan-save-wait, stop: the end of the waiting and an outcome at that very moment meet on the case', () => {
  it('given the last wait timed out with nothing new, then the case records that nobody waits; an outcome after that goes to a person at once', async () => {
    const account = await givenAnAccount('stop');
    const { caseId } = await open(account.id);

    expect(await invoke(planSaveWait, depsAt(at('2026-12-17T18:00:00+01:00')), { accountId: account.id, caseId, phase: 'stop', handled: '' })).toEqual({
      phase: 'stop',
      stopped: true,
      status: 'open',
      eventId: '',
    });
    const late = await invoke(recordSaveOutcome, { ...depsAt(at('2026-12-17T18:00:05+01:00')), ...recordingCallbacks() }, outcome(account.id, 'lost', 'evt-late', PROOF, '2026-12-17T18:00:05+01:00'));
    expect(late).toMatchObject({ result: 'recorded', followUp: 'late-outcome' });
  });

  it('given an outcome recorded the instant before the stop (its waiter’s token already gone), then the stop hands it over instead of ending', async () => {
    const account = await givenAnAccount('stop-race');
    const { caseId } = await open(account.id);
    // After the escalation, the late wait: until 18 December, 18:00.
    expect(await invoke(planSaveWait, depsAt(at('2026-11-18T18:00:00+01:00')), { accountId: account.id, caseId, phase: 'late' })).toMatchObject({ until: '2026-12-18T18:00:00+01:00' });
    await invoke(awaitSaveOutcome, { ...depsAt(at('2026-11-18T18:00:01+01:00')), ...recordingCallbacks() }, { accountId: account.id, caseId, handled: '', executionId: 'exec-1', taskToken: 'token-timed-out' });
    const recorded = await invoke(recordSaveOutcome, { ...depsAt(at('2026-12-18T18:00:00+01:00')), ...recordingCallbacks(['token-timed-out']) }, outcome(account.id, 'lost', 'evt-race', PROOF));
    expect(recorded).toMatchObject({ result: 'recorded', resumed: 0 });
    expect(recorded).not.toHaveProperty('followUp');

    expect(await invoke(planSaveWait, depsAt(at('2026-12-18T18:00:00+01:00')), { accountId: account.id, caseId, phase: 'stop', handled: '' })).toMatchObject({
      phase: 'stop',
      stopped: false,
      status: 'lost',
      eventId: 'evt-race',
      proofUrl: PROOF,
    });
  });
});

describe('record-retention-case and set-plan-expiry: once, and only by the rule', () => {
  function recordingCrm() {
    const risks: CrmRisk[] = [];
    const companies: CompanyUpdate[] = [];
    const crm = {
      upsertRisk: async (risk: CrmRisk) => (risks.push(risk), { crmId: `deal-${risks.length}`, created: risks.length === 1 }),
      updateCompany: async (update: CompanyUpdate) => void companies.push(update),
      upsertTask: async () => ({ crmId: 'task', created: true }),
    };
    return { risks, companies, ports: { crm } as unknown as OutboundPorts };
  }

  it('given a case lost with proof at 23:30 UTC, then a RETENTION case (SALES_PROCESS, lost, proof) in the ledger and the CRM, once, and the plan expires on tomorrow in Paris, sent once', async () => {
    const account = await givenAnAccount('retention');
    const { caseId } = await open(account.id);
    await invoke(recordSaveOutcome, { ...depsAt(at('2026-11-12T10:00:00+01:00')), ...recordingCallbacks() }, outcome(account.id, 'lost', 'evt-lost', PROOF));
    const crm = recordingCrm();
    const lostLate = at('2026-11-12T23:30:00Z'); // already the 13th in Paris

    for (let run = 0; run < 2; run++) await invokeThenDeliver(recordRetentionCase, depsAt(lostLate, undefined, crm.ports), { accountId: account.id, caseId });
    for (let run = 0; run < 2; run++) await invokeThenDeliver(setPlanExpiry, depsAt(lostLate, undefined, crm.ports), { accountId: account.id, caseId });

    expect((await readPreChurnCase(ledger, account.id, caseId)).record!.retention).toMatchObject({
      type: 'RETENTION',
      origin: 'SALES_PROCESS',
      status: 'lost',
      proofUrl: PROOF,
      planExpiresOn: '2026-11-14',
      crmId: 'deal-1',
      planExpirySentAt: '2026-11-13T00:30:00+01:00',
    });
    expect(crm.risks).toEqual([expect.objectContaining({ idempotencyKey: caseId, status: 'lost', kind: 'churn-risk', title: 'Pre-churn lost (RETENTION, SALES_PROCESS): Salon Horizon' })]);
    expect(crm.risks[0]!.reason).toContain(PROOF);
    expect(crm.companies).toEqual([{ idempotencyKey: `${account.id}:plan-expires:${caseId}`, accountId: account.id, planExpiresOn: '2026-11-14' }]);
  });

  it('given a case lost without proof, then neither the RETENTION case nor the plan expiry: refused, nothing sent', async () => {
    const account = await givenAnAccount('retention-no-proof');
    const { caseId } = await open(account.id);
    await invoke(recordSaveOutcome, { ...depsAt(at('2026-11-12T10:00:00+01:00')), ...recordingCallbacks() }, outcome(account.id, 'lost', 'evt-lost'));
    const crm = recordingCrm();

    expect(await failureOf(() => invoke(recordRetentionCase, depsAt(at('2026-11-12T11:00:00+01:00'), undefined, crm.ports), { accountId: account.id, caseId }))).toMatchObject({ name: 'OutsidePreChurnRule' });
    expect(await failureOf(() => invoke(setPlanExpiry, depsAt(at('2026-11-12T11:00:00+01:00'), undefined, crm.ports), { accountId: account.id, caseId }))).toMatchObject({ name: 'OutsidePreChurnRule' });
    expect([...crm.risks, ...crm.companies]).toEqual([]);
  });
});

describe('notify-person: the other one, directly, once', () => {
  it('given the onboarding AM, when notified twice for the case, then one direct notification in the outbox, to them', async () => {
    const account = await givenAnAccount('notify');
    const input = { accountId: account.id, playbook: 'pre-churn', reason: 'pch-1', recipientRole: 'onboarding', topic: 'pre-churn', text: 'Pre-churn: Salon Horizon wants to cancel.' };
    const first = await invokeThenDeliver(notifyPerson, depsAt(at('2026-11-10T10:00:00+01:00')), input);
    const second = await invokeThenDeliver(notifyPerson, depsAt(at('2026-11-10T10:00:05+01:00')), input);

    expect(first).toMatchObject({ notified: true, recipientId: 'onb-olga', created: true });
    expect(second).toMatchObject({ notified: true, created: false });
    const outbox = await ledger.scan<{ kind: string; accountId: string; recipientId: string }>('outbox');
    expect(outbox.filter((e) => e.accountId === account.id && e.kind === 'direct-notification').map((e) => e.recipientId)).toEqual(['onb-olga']);
  });

  it('given nobody in the role, then nobody is notified (never a stand-in)', async () => {
    const account = await givenAnAccount('notify-nobody', { onboardingId: undefined });
    expect(
      await invoke(notifyPerson, depsAt(at('2026-11-10T10:00:00+01:00')), { accountId: account.id, playbook: 'pre-churn', reason: 'pch-1', recipientRole: 'onboarding', topic: 'pre-churn', text: 'x' }),
    ).toEqual({ notified: false, why: 'nobody-in-role' });
  });
});
