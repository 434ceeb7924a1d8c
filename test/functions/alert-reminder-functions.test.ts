import { describe, expect, it } from 'vitest';
import { acknowledgeAlert } from '../../functions/alerts/acknowledge-alert.ts';
import { LedgerOutbox } from '../../functions/adapters/outbox/ledger-outbox.ts';
import { planAlertReminder } from '../../functions/alerts/plan-alert-reminder.ts';
import { postAlert } from '../../functions/alerts/post-alert.ts';
import { remindOpenAlerts } from '../../functions/alerts/remind-open-alerts.ts';
import { invokeThenDeliver, depsAt, failureOf, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// The two functions of the 17:00 reminder and its ledger items, against a real DynamoDB API (dynalite):
// the claim of a day, a retry of each step, and which alerts a reminder lists. Paris, November 2026.
useLocalLedger('alert-reminder-functions-test');

const TUESDAY_10 = '2026-11-17T10:00:00+01:00';
const at = (iso: string) => depsAt(new Date(iso));
const plan = (accountId: string, now: string, holder: string, after?: string) =>
  invokeThenDeliver(planAlertReminder, at(now), { reminder: { accountId, source: `evt-${holder}`, ...(after ? { after } : {}) }, holder });
const raise = (accountId: string, now: string, reason: string) =>
  invokeThenDeliver(postAlert, at(now), { accountId, type: 'upsell-request', playbook: 'upsell-request', reason, detail: `request ${reason}` }) as Promise<{ alertId: string }>;
const remind = (accountId: string, now: string, day = '2026-11-17') => invokeThenDeliver(remindOpenAlerts, at(now), { accountId, day });
const reminderPosts = async (accountId: string) =>
  (await new LedgerOutbox(ledger).list()).filter((entry) => entry.kind === 'alert-posted' && entry.accountId === accountId && entry.alertType === 'unacknowledged-reminder');

describe('plan-alert-reminder: one holder per account and day', () => {
  it('given an alert event on Tuesday 10:00, then the execution claims Tuesday 17:00, and the ledger names it', async () => {
    const { id } = await givenAnAccount('plan');
    expect(await plan(id, TUESDAY_10, 'exec-1')).toEqual({
      claimed: true,
      accountId: id,
      day: '2026-11-17',
      remindAt: '2026-11-17T17:00:00+01:00',
      next: { name: expect.stringMatching(/^rem-acc-plan-\d+-[0-9a-f]{8}-2026-11-17$/), reminder: { accountId: id, source: 'after:2026-11-17', after: '2026-11-17' } },
    });
    expect(await ledger.getAlertReminder(id, '2026-11-17')).toMatchObject({ holder: 'exec-1', remindAt: '2026-11-17T17:00:00+01:00', plannedAt: TUESDAY_10 });
  });

  it('given the step retried by the same execution, then it is claimed again, with the same plan', async () => {
    const { id } = await givenAnAccount('plan-retry');
    const first = await plan(id, TUESDAY_10, 'exec-1');
    expect(await plan(id, '2026-11-17T10:00:04+01:00', 'exec-1')).toEqual(first);
  });

  it('given another execution planning the same day (a second alert, a redelivery), then it is not claimed and the first one still holds it', async () => {
    const { id } = await givenAnAccount('plan-other');
    await plan(id, TUESDAY_10, 'exec-1');
    expect(await plan(id, '2026-11-17T14:00:00+01:00', 'exec-2')).toEqual({ claimed: false, accountId: id, day: '2026-11-17', remindAt: '2026-11-17T17:00:00+01:00' });
    expect((await ledger.getAlertReminder(id, '2026-11-17'))?.holder).toBe('exec-1');
  });

  it('given a hand-over after Tuesday, then the next execution claims Wednesday, a day no event claimed yet', async () => {
    const { id } = await givenAnAccount('plan-after');
    await plan(id, TUESDAY_10, 'exec-1');
    expect(await plan(id, '2026-11-17T17:00:02+01:00', 'rem-next', '2026-11-17')).toMatchObject({ claimed: true, day: '2026-11-18', remindAt: '2026-11-18T17:00:00+01:00' });
  });

  it('given an account the ledger does not know, then AccountNotFound (the playbook retries it for an hour)', async () => {
    expect((await failureOf(() => plan('acc-unknown', TUESDAY_10, 'exec-1'))).name).toBe('AccountNotFound');
  });
});

describe("the open alerts of one account (the open-alerts partition, from '<accountId>#')", () => {
  it('given open alerts on two accounts, one id a prefix of the other with # after it, then each account gets its own only', async () => {
    const { id } = await givenAnAccount('prefix');
    const { alertId } = await raise(id, TUESDAY_10, 'evt-a');
    await ledger.raiseAlert({ id: 'alr-other', accountId: `${id}#2`, type: 'upsell-request', playbook: 'upsell-request', reason: 'r', text: 't', raisedAt: TUESDAY_10, status: 'open' });
    expect(await ledger.openAlertsOf(id)).toEqual([{ accountId: id, alertId }]);
    expect(await ledger.openAlertsOf(`${id}#2`)).toEqual([{ accountId: `${id}#2`, alertId: 'alr-other' }]);
  });
});

describe('remind-open-alerts: one post per account and day, listing its alerts still without ✅', () => {
  it('given two open alerts, one acknowledged and one raised after 17:00, then one reminder lists the two open ones raised by then, oldest first', async () => {
    const { id } = await givenAnAccount('remind');
    await plan(id, TUESDAY_10, 'exec-1');
    const first = await raise(id, TUESDAY_10, 'evt-1');
    const second = await raise(id, '2026-11-17T11:30:00+01:00', 'evt-2');
    const handled = await raise(id, '2026-11-17T12:00:00+01:00', 'evt-3');
    await invokeThenDeliver(acknowledgeAlert, at('2026-11-17T12:00:01+01:00'), { accountId: id, alertId: handled.alertId, handledBy: 'task tsk-1' });
    const late = await raise(id, '2026-11-17T17:05:00+01:00', 'evt-4');

    // The reminder ran late (retries): the 17:05 alert is tomorrow's.
    expect(await remind(id, '2026-11-17T17:10:00+01:00')).toEqual({ posted: true, alertIds: [first.alertId, second.alertId], handOver: true });
    const [post, ...others] = await reminderPosts(id);
    expect(others).toEqual([]);
    expect(post).toMatchObject({ idempotencyKey: `reminder:${id}:2026-11-17`, alertType: 'unacknowledged-reminder' });
    expect(post!.kind === 'alert-posted' && post!.text.split('\n')).toEqual([
      ':bell: 2 alerts without a task or a resolution yet (no ✅):',
      '• :moneybag: Upsell request — Salon Horizon (CSM csm-lea) — raised 2026-11-17T10:00:00+01:00',
      '• :moneybag: Upsell request — Salon Horizon (CSM csm-lea) — raised 2026-11-17T11:30:00+01:00',
    ]);
    expect((await ledger.getAlertReminder(id, '2026-11-17'))?.slackMessage).toBe(`outbox:alerts/reminder:${id}:2026-11-17`);
    expect(late.alertId).not.toBe(first.alertId);
  });

  it('given the step retried after it posted, then nothing is posted again', async () => {
    const { id } = await givenAnAccount('remind-retry');
    await plan(id, TUESDAY_10, 'exec-1');
    const { alertId } = await raise(id, TUESDAY_10, 'evt-1');
    await remind(id, '2026-11-17T17:00:00+01:00');
    // Acknowledged meanwhile: the retry still says the reminder is posted, and posts nothing.
    await invokeThenDeliver(acknowledgeAlert, at('2026-11-17T17:00:03+01:00'), { accountId: id, alertId, handledBy: 'task tsk-1' });
    expect(await remind(id, '2026-11-17T17:00:06+01:00')).toEqual({ posted: true, alertIds: [], handOver: false });
    expect(await reminderPosts(id)).toHaveLength(1);
  });

  it('given every alert of the account acknowledged by 17:00, then nothing is posted and nothing handed over', async () => {
    const { id } = await givenAnAccount('remind-none');
    await plan(id, TUESDAY_10, 'exec-1');
    const { alertId } = await raise(id, TUESDAY_10, 'evt-1');
    await invokeThenDeliver(acknowledgeAlert, at('2026-11-17T10:00:02+01:00'), { accountId: id, alertId, handledBy: 'task tsk-1' });
    expect(await remind(id, '2026-11-17T17:00:00+01:00')).toEqual({ posted: false, alertIds: [], handOver: false });
    expect(await reminderPosts(id)).toEqual([]);
  });

  it('given an open threshold alert beside an open upsell request, then the reminder lists the request only; given the threshold alert alone, then nothing is posted and nothing handed over', async () => {
    const threshold = (accountId: string) =>
      invokeThenDeliver(postAlert, at(TUESDAY_10), { accountId, type: 'threshold', playbook: 'threshold-alert', reason: `threshold-${accountId}-no-qbr-2026-11-17`, detail: 'No QBR for 90 days', snooze: 'no-qbr' });
    const both = (await givenAnAccount('remind-threshold')).id;
    await plan(both, TUESDAY_10, 'exec-1');
    await threshold(both);
    const { alertId } = await raise(both, TUESDAY_10, 'evt-1');
    expect(await remind(both, '2026-11-17T17:00:00+01:00')).toEqual({ posted: true, alertIds: [alertId], handOver: true });

    const alone = (await givenAnAccount('remind-threshold-alone')).id;
    await plan(alone, TUESDAY_10, 'exec-2');
    await threshold(alone);
    expect(await remind(alone, '2026-11-17T17:00:00+01:00')).toEqual({ posted: false, alertIds: [], handOver: false });
    expect(await reminderPosts(alone)).toEqual([]);
  });

  it('given only an alert raised after 17:00, then nothing is posted today, and the reminders go on tomorrow', async () => {
    const { id } = await givenAnAccount('remind-late');
    await plan(id, TUESDAY_10, 'exec-1');
    await raise(id, '2026-11-17T17:05:00+01:00', 'evt-1');
    expect(await remind(id, '2026-11-17T17:10:00+01:00')).toEqual({ posted: false, alertIds: [], handOver: true });
  });

  it('given no reminder claimed for that day, then it refuses to post (only the holder reaches this step)', async () => {
    const { id } = await givenAnAccount('remind-unclaimed');
    await raise(id, TUESDAY_10, 'evt-1');
    expect((await failureOf(() => remind(id, '2026-11-17T17:00:00+01:00'))).message).toMatch(/No reminder planned/);
    expect(await reminderPosts(id)).toEqual([]);
  });
});
