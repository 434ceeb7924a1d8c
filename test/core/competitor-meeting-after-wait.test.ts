import { describe, expect, it } from 'vitest';
import { decideAfterWait, followUpAfter, followUpFailed } from '../../functions/core/competitor-meeting/after-wait.ts';
import type { CompetitorMeeting, FollowUp } from '../../functions/core/competitor-meeting/meeting.ts';
import { calendar, PARIS } from '../support/business-calendar.ts';

const PLANNED = '2026-11-16T09:00:00+01:00';
const WAKE_UP = new Date(PLANNED);

const waiting: FollowUp = { execution: 'exec-1', reason: 'evt-red-1', since: '2026-11-02T10:00:00+01:00', callAt: PLANNED, state: 'waiting' };

const meeting = (overrides: Partial<CompetitorMeeting> = {}): CompetitorMeeting => ({
  meetingId: 'mtg-1',
  accountId: 'acc-paris',
  competitor: 'Planity',
  meetingAt: '2026-11-23T14:00:00+01:00',
  status: 'scheduled',
  detectedAt: '2026-11-02T10:00:00+01:00',
  eventId: 'evt-red-1',
  followUp: waiting,
  ...overrides,
});

const onPlannedDay = { day: '2026-11-16', at: new Date(PLANNED) };

function decide(overrides: Partial<Parameters<typeof decideAfterWait>[0]> = {}) {
  return decideAfterWait({ meeting: meeting(), execution: 'exec-1', touchpoints: [], callDay: onPlannedDay, now: WAKE_UP, where: PARIS, calendar, ...overrides });
}

describe('after the wait: exit, re-plan or call', () => {
  it('given nothing changed, then the CSM calls, due at the call instant', () => {
    expect(decide()).toEqual({ decision: 'call', dueAt: new Date(PLANNED) });
  });

  it('given the competitor meeting was cancelled meanwhile, then the follow-up exits', () => {
    expect(decide({ meeting: meeting({ status: 'cancelled' }) })).toEqual({ decision: 'cancelled' });
  });

  it('given a meeting with the client logged since the detection (any contact), then the follow-up exits', () => {
    expect(decide({ touchpoints: [{ channel: 'meeting', at: '2026-11-05T15:00:00+01:00' }] })).toEqual({ decision: 'meeting-booked', touchpointAt: '2026-11-05T15:00:00+01:00' });
  });

  it('given only calls and e-mails since the detection, then the CSM still calls: the goal is a meeting', () => {
    expect(decide({ touchpoints: [{ channel: 'call', at: '2026-11-05T15:00:00+01:00' }, { channel: 'email', at: '2026-11-06T15:00:00+01:00' }] })).toMatchObject({ decision: 'call' });
  });

  it('given a meeting logged before the detection, then it does not count', () => {
    expect(decide({ touchpoints: [{ channel: 'meeting', at: '2026-11-01T15:00:00+01:00' }] })).toMatchObject({ decision: 'call' });
  });

  it('given the meeting moved and its call day is now later, then the follow-up waits again, for the new call instant', () => {
    const later = { day: '2026-11-23', at: new Date('2026-11-23T09:00:00+01:00') };
    expect(decide({ callDay: later })).toEqual({ decision: 're-plan', callAt: later.at });
  });

  it('given a new call instant that is already past, then the CSM calls now rather than never', () => {
    expect(decide({ callDay: { day: '2026-11-13', at: new Date('2026-11-13T09:00:00+01:00') } })).toMatchObject({ decision: 'call' });
  });

  it('given another execution took the follow-up over, then this one stops, whatever else is true', () => {
    const takenOver = meeting({ status: 'cancelled', followUp: { ...waiting, execution: 'exec-2' } });
    expect(decide({ meeting: takenOver })).toEqual({ decision: 'superseded' });
  });
});

describe('recheck retried after it wrote: the same answer', () => {
  it('given this execution decided to call and wrote it, when the step is retried, then it answers call again, due when it decided (not superseded)', () => {
    const called = meeting({ followUp: { ...waiting, state: 'ended', outcome: 'called', dueAt: PLANNED } });
    expect(decide({ meeting: called, now: new Date('2026-11-16T09:00:04+01:00') })).toEqual({ decision: 'call', dueAt: new Date(PLANNED) });
  });

  it('given this execution re-planned and wrote the new call instant, when the step is retried, then it re-plans again: that instant is still ahead, so no call weeks early', () => {
    const later = { day: '2026-11-23', at: new Date('2026-11-23T09:00:00+01:00') };
    const replanned = meeting({ meetingAt: '2026-11-30T14:00:00+01:00', followUp: { ...waiting, callAt: '2026-11-23T09:00:00+01:00' } });
    expect(decide({ meeting: replanned, callDay: later, now: new Date('2026-11-16T09:00:04+01:00') })).toEqual({ decision: 're-plan', callAt: later.at });
  });

  it('given the follow-up woke at the re-planned instant, then it calls', () => {
    const at = new Date('2026-11-23T09:00:00+01:00');
    const replanned = meeting({ meetingAt: '2026-11-30T14:00:00+01:00', followUp: { ...waiting, callAt: '2026-11-23T09:00:00+01:00' } });
    expect(decide({ meeting: replanned, callDay: { day: '2026-11-23', at }, now: at })).toEqual({ decision: 'call', dueAt: at });
  });

  it.each([
    [{ outcome: 'cancelled' as const }, { decision: 'cancelled' }],
    [{ outcome: 'meeting-booked' as const, touchpointAt: '2026-11-05T15:00:00+01:00' }, { decision: 'meeting-booked', touchpointAt: '2026-11-05T15:00:00+01:00' }],
  ])('given this execution ended the follow-up with %j, when the step is retried, then it answers %j again', (ending, answer) => {
    expect(decide({ meeting: meeting({ followUp: { ...waiting, state: 'ended', ...ending } }) })).toEqual(answer);
  });
});

describe('when the red-alert-call is due', () => {
  const dueAt = (now: string) => {
    const decision = decide({ now: new Date(now) });
    return decision.decision === 'call' ? decision.dueAt.toISOString() : decision.decision;
  };

  it('given a wake-up seconds or hours late on the call day, then the call instant stands', () => {
    expect(dueAt('2026-11-16T09:00:00.350+01:00')).toBe(new Date(PLANNED).toISOString());
    expect(dueAt('2026-11-16T15:00:00+01:00')).toBe(new Date(PLANNED).toISOString());
  });

  it('given a wake-up after closing time on the call day, then it is due at the next closing time (Tuesday 18:00), not in the evening', () => {
    expect(dueAt('2026-11-16T19:30:00+01:00')).toBe(new Date('2026-11-17T18:00:00+01:00').toISOString());
  });

  it('given a wake-up on the Saturday after, then it is due on Monday at closing time', () => {
    expect(dueAt('2026-11-21T10:00:00+01:00')).toBe(new Date('2026-11-23T18:00:00+01:00').toISOString());
  });
});

describe('the follow-up once decided', () => {
  const local = (at: Date) => at.toISOString();

  it('given a re-plan, then the follow-up waits for the new instant', () => {
    const at = new Date('2026-11-23T08:00:00Z');
    expect(followUpAfter(meeting(), { decision: 're-plan', callAt: at }, local)?.followUp).toMatchObject({ callAt: '2026-11-23T08:00:00.000Z', state: 'waiting' });
  });

  it('given a re-plan to the instant the record already waits for (a retry), then nothing is written', () => {
    expect(followUpAfter(meeting(), { decision: 're-plan', callAt: new Date(PLANNED) }, local)).toBeUndefined();
  });

  it.each([
    [{ decision: 'call' as const, dueAt: new Date(PLANNED) }, { outcome: 'called', dueAt: new Date(PLANNED).toISOString() }],
    [{ decision: 'cancelled' as const }, { outcome: 'cancelled' }],
    [{ decision: 'meeting-booked' as const, touchpointAt: '2026-11-05T15:00:00+01:00' }, { outcome: 'meeting-booked', touchpointAt: '2026-11-05T15:00:00+01:00' }],
  ])('given %j, then the follow-up has ended with what a retry must answer again: %j', (decision, ending) => {
    expect(followUpAfter(meeting(), decision, local)?.followUp).toMatchObject({ state: 'ended', ...ending });
  });

  it('given superseded, or a follow-up this execution already ended, then nothing is written', () => {
    expect(followUpAfter(meeting(), { decision: 'superseded' }, local)).toBeUndefined();
    const called = meeting({ followUp: { ...waiting, state: 'ended', outcome: 'called', dueAt: PLANNED } });
    expect(followUpAfter(called, { decision: 'call', dueAt: new Date(PLANNED) }, local)).toBeUndefined();
  });
});

describe('the follow-up after its execution failed for good', () => {
  it('given the record names the failed execution, then the follow-up is ended, failed', () => {
    expect(followUpFailed(meeting(), 'exec-1')?.followUp).toEqual({ ...waiting, state: 'ended', outcome: 'failed' });
  });

  it('given the call was decided but its task could not be created, then it is failed too (a redelivery must create the call)', () => {
    const called = meeting({ followUp: { ...waiting, state: 'ended', outcome: 'called', dueAt: PLANNED } });
    expect(followUpFailed(called, 'exec-1')?.followUp).toEqual({ ...waiting, state: 'ended', outcome: 'failed' });
  });

  it('given another execution follows the meeting, or no record, then nothing is written', () => {
    expect(followUpFailed(meeting(), 'exec-2')).toBeUndefined();
    expect(followUpFailed(undefined, 'exec-1')).toBeUndefined();
  });
});
