import { describe, expect, it } from 'vitest';
import { meetingId } from '../../functions/core/competitor-meeting/meeting.ts';
import { planCompetitorMeeting } from '../../functions/competitor-meeting/plan-competitor-meeting.ts';
import { recheckCompetitorMeeting } from '../../functions/competitor-meeting/recheck-competitor-meeting.ts';
import { releaseCompetitorMeeting } from '../../functions/competitor-meeting/release-competitor-meeting.ts';
import { invoke } from '../../functions/runtime/playbook-function.ts';
import { depsAt, givenAnAccount, ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// The Red Alert's functions against a real DynamoDB API: what a Step Functions retry of a step that
// already wrote, and a run that failed for good, find in the ledger.
useLocalLedger('competitor-meeting-functions-test');

const STARTED = '2026-11-02T09:00:00Z';
const at = (iso: string) => depsAt(new Date(iso));

function detection(accountId: string, overrides: Record<string, unknown> = {}) {
  return { eventId: 'evt-red-1', accountId, competitor: 'Planity', shop: 'Salon Horizon', meetingAt: '2026-11-23T14:00:00+01:00', detectedAt: '2026-11-02T10:00:00+01:00', ...overrides };
}

async function planned(accountId: string, execution = 'exec-1', overrides: Record<string, unknown> = {}) {
  return invoke(planCompetitorMeeting, at('2026-11-02T10:00:00+01:00'), { detail: detection(accountId, overrides), execution, startedAt: STARTED });
}

const recheck = (accountId: string, now: string, execution = 'exec-1') =>
  invoke(recheckCompetitorMeeting, at(now), { accountId, meetingId: meetingId({ accountId, competitor: 'Planity', shop: 'Salon Horizon' }), execution, startedAt: STARTED });

describe('the re-check, retried after it wrote', () => {
  it('given it decided to call, when it runs again for the same execution, then it answers the same call, due at the same instant', async () => {
    const account = await givenAnAccount('recheck-call');
    await planned(account.id);
    const first = await recheck(account.id, '2026-11-16T09:00:00+01:00');
    const retried = await recheck(account.id, '2026-11-16T09:00:06+01:00');
    expect(first).toMatchObject({ decision: 'call', dueAt: '2026-11-16T09:00:00+01:00' });
    expect(retried).toEqual(first);
  });

  it('given it re-planned a moved meeting, when it runs again, then it re-plans to the same instant', async () => {
    const account = await givenAnAccount('recheck-replan');
    await planned(account.id);
    await invoke(planCompetitorMeeting, at('2026-11-04T10:00:00+01:00'), {
      detail: detection(account.id, { eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' }),
      execution: 'exec-2',
      startedAt: '2026-11-04T09:00:00Z',
    });
    const first = await recheck(account.id, '2026-11-16T09:00:00+01:00');
    const retried = await recheck(account.id, '2026-11-16T09:00:06+01:00');
    expect(first).toEqual({ decision: 're-plan', schedule: { callAt: '2026-11-23T09:00:00+01:00', wakeAt: '2026-11-23T08:00:00Z' } });
    expect(retried).toEqual(first);
  });
});

describe('releasing the follow-up of a failed run', () => {
  it('given another execution follows the meeting, then nothing is released; given its own, it is marked failed, once', async () => {
    const account = await givenAnAccount('release');
    await planned(account.id);
    const release = (execution: string) => invoke(releaseCompetitorMeeting, at('2026-11-02T10:02:00+01:00'), { detail: detection(account.id), execution });
    expect(await release('exec-other')).toMatchObject({ released: false });
    expect(await release('exec-1')).toMatchObject({ released: true });
    expect(await release('exec-1')).toMatchObject({ released: false });
    const { meeting } = await ledger.getCompetitorMeeting(account.id, meetingId({ accountId: account.id, competitor: 'Planity', shop: 'Salon Horizon' }));
    expect(meeting?.followUp).toMatchObject({ execution: 'exec-1', state: 'ended', outcome: 'failed' });
  });

  it('given no meeting was recorded (the plan failed before its write), then there is nothing to release', async () => {
    const account = await givenAnAccount('release-nothing');
    expect(await invoke(releaseCompetitorMeeting, at('2026-11-02T10:02:00+01:00'), { detail: detection(account.id), execution: 'exec-1' })).toMatchObject({ released: false });
  });

  it('given a released follow-up, when the event is delivered again, then the new execution follows the meeting up with the same reason', async () => {
    const account = await givenAnAccount('release-redelivery');
    await planned(account.id);
    await invoke(releaseCompetitorMeeting, at('2026-11-02T10:02:00+01:00'), { detail: detection(account.id), execution: 'exec-1' });
    expect(await planned(account.id, 'exec-2')).toMatchObject({ action: 'follow-up', reason: 'evt-red-1', schedule: { callAt: '2026-11-16T09:00:00+01:00' } });
  });
});
