import { describe, expect, it } from 'vitest';
import { decideAfterWait, followUpAfter } from '../../functions/core/competitor-meeting/after-wait.ts';
import type { CompetitorMeeting } from '../../functions/core/competitor-meeting/meeting.ts';

const PLANNED = '2026-11-16T09:00:00+01:00';
const WAKE_UP = new Date(PLANNED);

const meeting = (overrides: Partial<CompetitorMeeting> = {}): CompetitorMeeting => ({
  meetingId: 'mtg-1',
  accountId: 'acc-paris',
  competitor: 'Planity',
  meetingAt: '2026-11-23T14:00:00+01:00',
  status: 'scheduled',
  detectedAt: '2026-11-02T10:00:00+01:00',
  eventId: 'evt-red-1',
  followUp: { execution: 'exec-1', reason: 'evt-red-1', since: '2026-11-02T10:00:00+01:00', callAt: PLANNED, state: 'waiting' },
  ...overrides,
});

const onPlannedDay = { day: '2026-11-16', at: new Date(PLANNED) };

function decide(overrides: Partial<Parameters<typeof decideAfterWait>[0]> = {}) {
  return decideAfterWait({ meeting: meeting(), execution: 'exec-1', touchpoints: [], callDay: onPlannedDay, now: WAKE_UP, ...overrides });
}

describe('after the wait: exit, re-plan or call', () => {
  it('given nothing changed, then the CSM calls', () => {
    expect(decide()).toEqual({ decision: 'call' });
  });

  it('given the competitor meeting was cancelled meanwhile, then the follow-up exits', () => {
    expect(decide({ meeting: meeting({ status: 'cancelled' }) })).toEqual({ decision: 'cancelled' });
  });

  it('given a meeting with the client logged since the detection (any contact), then the follow-up exits', () => {
    expect(decide({ touchpoints: [{ channel: 'meeting', at: '2026-11-05T15:00:00+01:00' }] })).toEqual({ decision: 'meeting-booked', touchpointAt: '2026-11-05T15:00:00+01:00' });
  });

  it('given only calls and e-mails since the detection, then the CSM still calls: the goal is a meeting', () => {
    expect(decide({ touchpoints: [{ channel: 'call', at: '2026-11-05T15:00:00+01:00' }, { channel: 'email', at: '2026-11-06T15:00:00+01:00' }] })).toEqual({ decision: 'call' });
  });

  it('given a meeting logged before the detection, then it does not count', () => {
    expect(decide({ touchpoints: [{ channel: 'meeting', at: '2026-11-01T15:00:00+01:00' }] })).toEqual({ decision: 'call' });
  });

  it('given the meeting moved and its call day is now later, then the follow-up waits again, for the new call instant', () => {
    const later = { day: '2026-11-23', at: new Date('2026-11-23T09:00:00+01:00') };
    expect(decide({ callDay: later })).toEqual({ decision: 're-plan', callAt: later.at });
  });

  it('given a new call instant that is already past, then the CSM calls now rather than never', () => {
    expect(decide({ callDay: { day: '2026-11-13', at: new Date('2026-11-13T09:00:00+01:00') } })).toEqual({ decision: 'call' });
  });

  it('given another execution took the follow-up over, then this one stops, whatever else is true', () => {
    const takenOver = meeting({ status: 'cancelled', followUp: { ...meeting().followUp!, execution: 'exec-2' } });
    expect(decide({ meeting: takenOver })).toEqual({ decision: 'superseded' });
  });
});

describe('the follow-up once decided', () => {
  const local = (at: Date) => at.toISOString();

  it('given a re-plan, then the follow-up waits for the new instant', () => {
    const at = new Date('2026-11-23T08:00:00Z');
    expect(followUpAfter(meeting(), { decision: 're-plan', callAt: at }, local)?.followUp).toMatchObject({ callAt: '2026-11-23T08:00:00.000Z', state: 'waiting' });
  });

  it.each([
    [{ decision: 'call' as const }, 'called'],
    [{ decision: 'cancelled' as const }, 'cancelled'],
    [{ decision: 'meeting-booked' as const, touchpointAt: '2026-11-05T15:00:00+01:00' }, 'meeting-booked'],
  ])('given %j, then the follow-up has ended, outcome %s', (decision, outcome) => {
    expect(followUpAfter(meeting(), decision, local)?.followUp).toMatchObject({ state: 'ended', outcome });
  });

  it('given superseded, then nothing is written: the record belongs to the other execution', () => {
    expect(followUpAfter(meeting(), { decision: 'superseded' }, local)).toBeUndefined();
  });
});
