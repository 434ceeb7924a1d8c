import { describe, expect, it } from 'vitest';
import { decideOnDetection, meetingId, type CompetitorMeeting, type MeetingDetection } from '../../functions/core/competitor-meeting/meeting.ts';

const ACCOUNT = 'acc-paris';

function detection(overrides: Partial<MeetingDetection> = {}): MeetingDetection {
  return {
    eventId: 'evt-red-1',
    competitor: 'Planity',
    shop: 'Salon Lyon',
    meetingAt: '2026-11-23T14:00:00+01:00',
    status: 'scheduled',
    detectedAt: '2026-11-02T10:00:00+01:00',
    ...overrides,
  };
}

/** The record after the first detection, owned by execution 1 and waiting for Monday 16 November. */
function followedMeeting(overrides: Partial<CompetitorMeeting> = {}): CompetitorMeeting {
  const first = decideOnDetection({ accountId: ACCOUNT, stored: undefined, detection: detection(), execution: 'exec-1', callAt: () => '2026-11-16T09:00:00+01:00' });
  if (first.action !== 'follow-up') throw new Error('expected the first detection to open the follow-up');
  return { ...first.meeting, ...overrides };
}

describe('the meeting record: account + competitor + shop identify a meeting', () => {
  it('given the same meeting spelt with another case or stray spaces, then it is the same meeting', () => {
    expect(meetingId({ accountId: ACCOUNT, competitor: ' planity ', shop: 'Salon  Lyon' })).toBe(meetingId({ accountId: ACCOUNT, competitor: 'Planity', shop: 'Salon Lyon' }));
  });

  it('given no shop or an empty shop, then it is the same meeting', () => {
    expect(meetingId({ accountId: ACCOUNT, competitor: 'Planity' })).toBe(meetingId({ accountId: ACCOUNT, competitor: 'Planity', shop: '' }));
  });

  it.each([
    ['account', { accountId: 'acc-other' }],
    ['competitor', { competitor: 'Treatwell' }],
    ['shop', { shop: 'Salon Paris' }],
  ])('given another %s, then it is another meeting', (_, change) => {
    expect(meetingId({ accountId: ACCOUNT, competitor: 'Planity', shop: 'Salon Lyon', ...change })).not.toBe(
      meetingId({ accountId: ACCOUNT, competitor: 'Planity', shop: 'Salon Lyon' }),
    );
  });

  it('given parts that concatenate to the same text, then the meetings still differ', () => {
    expect(meetingId({ accountId: ACCOUNT, competitor: 'Plan', shop: 'ity' })).not.toBe(meetingId({ accountId: ACCOUNT, competitor: 'Planity' }));
  });
});

describe('a detection and its meeting: one follow-up per meeting', () => {
  it('given the first detection of a scheduled meeting, then its execution opens the follow-up, from that detection', () => {
    const decision = decideOnDetection({ accountId: ACCOUNT, stored: undefined, detection: detection(), execution: 'exec-1', callAt: () => '2026-11-16T09:00:00+01:00' });
    expect(decision).toEqual({
      action: 'follow-up',
      write: true,
      meeting: expect.objectContaining({
        accountId: ACCOUNT,
        meetingAt: '2026-11-23T14:00:00+01:00',
        status: 'scheduled',
        followUp: { execution: 'exec-1', reason: 'evt-red-1', since: '2026-11-02T10:00:00+01:00', callAt: '2026-11-16T09:00:00+01:00', state: 'waiting' },
      }),
    });
  });

  it('given the first detection is a cancellation, then it is recorded and nothing is followed up', () => {
    const decision = decideOnDetection({ accountId: ACCOUNT, stored: undefined, detection: detection({ status: 'cancelled' }), execution: 'exec-1', callAt: () => '2026-11-16T09:00:00+01:00' });
    expect(decision).toMatchObject({ action: 'record-only', why: 'cancelled', meeting: { status: 'cancelled' } });
    expect(decision.action === 'record-only' && decision.meeting?.followUp).toBeUndefined();
  });

  it('given the same event delivered again (another execution), then it is a duplicate and nothing is written', () => {
    expect(decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: detection(), execution: 'exec-2', callAt: () => '2026-11-16T09:00:00+01:00' })).toEqual({
      action: 'record-only',
      why: 'duplicate',
    });
  });

  it("given the follow-up's own step retried, then it decides the same and writes nothing", () => {
    expect(decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: detection(), execution: 'exec-1', callAt: () => '2026-11-16T09:00:00+01:00' })).toEqual({
      action: 'follow-up',
      write: false,
      meeting: followedMeeting(),
    });
  });

  it('given a detection older than the one recorded (out of order), then it changes nothing', () => {
    const stored = followedMeeting({ detectedAt: '2026-11-04T10:00:00+01:00', eventId: 'evt-red-2', meetingAt: '2026-11-30T14:00:00+01:00' });
    const older = detection({ eventId: 'evt-red-0', detectedAt: '2026-11-03T10:00:00+01:00', meetingAt: '2026-12-01T14:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored, detection: older, execution: 'exec-3', callAt: () => '2026-11-24T09:00:00+01:00' })).toEqual({ action: 'record-only', why: 'older' });
  });

  it('given a later detection that moves the meeting later, then the record takes the new time and the live follow-up keeps it (it re-reads after its wait)', () => {
    const moved = detection({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' });
    const decision = decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: moved, execution: 'exec-2', callAt: () => '2026-11-23T09:00:00+01:00' });
    expect(decision).toEqual({
      action: 'record-only',
      why: 'followed',
      meeting: { ...followedMeeting(), meetingAt: '2026-11-30T14:00:00+01:00', detectedAt: '2026-11-04T10:00:00+01:00', eventId: 'evt-red-2' },
    });
  });

  it('given a later cancellation, then the record says cancelled and the live follow-up will exit when it wakes', () => {
    const cancelled = detection({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', status: 'cancelled' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: cancelled, execution: 'exec-2', callAt: () => '2026-11-16T09:00:00+01:00' })).toMatchObject({
      action: 'record-only',
      why: 'followed',
      meeting: { status: 'cancelled', followUp: { execution: 'exec-1', state: 'waiting' } },
    });
  });

  it('given a later detection that moves the meeting so early that its call comes before the planned one, then its execution takes the follow-up over (same reason, same start)', () => {
    const earlier = detection({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-10T14:00:00+01:00' });
    const decision = decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: earlier, execution: 'exec-2', callAt: () => '2026-11-05T09:00:00+01:00' });
    expect(decision).toMatchObject({
      action: 'take-over',
      write: true,
      meeting: {
        meetingAt: '2026-11-10T14:00:00+01:00',
        followUp: { execution: 'exec-2', reason: 'evt-red-1', since: '2026-11-02T10:00:00+01:00', callAt: '2026-11-05T09:00:00+01:00', state: 'waiting' },
      },
    });
  });

  it('given the follow-up ended with the call task, then a later detection only updates the record', () => {
    const stored = followedMeeting();
    const ended = { ...stored, followUp: { ...stored.followUp!, state: 'ended' as const, outcome: 'called' as const } };
    const moved = detection({ eventId: 'evt-red-2', detectedAt: '2026-11-17T10:00:00+01:00', meetingAt: '2026-12-01T14:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: ended, detection: moved, execution: 'exec-2', callAt: () => '2026-11-24T09:00:00+01:00' })).toMatchObject({ action: 'record-only', why: 'ended' });
  });

  it('given the follow-up ended because the meeting was cancelled, when the meeting is booked again, then a new follow-up opens from that detection', () => {
    const stored = followedMeeting({ status: 'cancelled' });
    const ended = { ...stored, followUp: { ...stored.followUp!, state: 'ended' as const, outcome: 'cancelled' as const } };
    const rebooked = detection({ eventId: 'evt-red-3', detectedAt: '2026-11-20T10:00:00+01:00', meetingAt: '2026-12-15T14:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: ended, detection: rebooked, execution: 'exec-3', callAt: () => '2026-12-08T09:00:00+01:00' })).toMatchObject({
      action: 'follow-up',
      write: true,
      meeting: { status: 'scheduled', followUp: { execution: 'exec-3', reason: 'evt-red-3', since: '2026-11-20T10:00:00+01:00', state: 'waiting' } },
    });
  });
});

describe('a detection after the recorded meeting has taken place', () => {
  it('given the follow-up ended with the call and the meeting took place, when the client books the same competitor again, then it is a new meeting with a new follow-up', () => {
    const stored = followedMeeting();
    const called = { ...stored, followUp: { ...stored.followUp!, state: 'ended' as const, outcome: 'called' as const } };
    const again = detection({ eventId: 'evt-red-9', detectedAt: '2027-02-01T10:00:00+01:00', meetingAt: '2027-02-20T14:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: called, detection: again, execution: 'exec-9', callAt: () => '2027-02-12T09:00:00+01:00' })).toMatchObject({
      action: 'follow-up',
      meeting: { meetingAt: '2027-02-20T14:00:00+01:00', followUp: { execution: 'exec-9', reason: 'evt-red-9', state: 'waiting' } },
    });
  });

  it('given a follow-up still marked waiting (its execution failed), when the same competitor is booked again after the meeting, then the new booking is followed up', () => {
    const again = detection({ eventId: 'evt-red-9', detectedAt: '2026-12-01T10:00:00+01:00', meetingAt: '2026-12-20T14:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: again, execution: 'exec-9', callAt: () => '2026-12-11T09:00:00+01:00' })).toMatchObject({
      action: 'follow-up',
      meeting: { followUp: { execution: 'exec-9', reason: 'evt-red-9' } },
    });
  });

  it('given a late status update about the meeting that has taken place, then it is no new meeting', () => {
    const stale = detection({ eventId: 'evt-red-9', detectedAt: '2026-11-25T10:00:00+01:00' }); // meetingAt the 23rd, already past
    expect(decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: stale, execution: 'exec-9', callAt: () => '2026-11-26T09:00:00+01:00' })).toMatchObject({
      action: 'record-only',
      why: 'followed',
    });
  });

  it('given a cancellation, then no call day is asked for (it may lie beyond the holiday data)', () => {
    const noCallDay = () => {
      throw new Error('a cancellation needs no call day');
    };
    const cancelled = detection({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', status: 'cancelled', meetingAt: '2040-01-01T10:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: cancelled, execution: 'exec-2', callAt: noCallDay }).action).toBe('record-only');
    expect(decideOnDetection({ accountId: ACCOUNT, stored: undefined, detection: cancelled, execution: 'exec-2', callAt: noCallDay }).action).toBe('record-only');
  });
});

describe('detections with the same detectedAt: ordered by eventId', () => {
  const tie = { detectedAt: '2026-11-02T10:00:00+01:00' };

  it('given a detection with the same detectedAt and another eventId that sorts after, then it is a real update', () => {
    const moved = detection({ ...tie, eventId: 'evt-red-2', meetingAt: '2026-11-30T14:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: moved, execution: 'exec-2', callAt: () => '2026-11-23T09:00:00+01:00' })).toEqual({
      action: 'record-only',
      why: 'followed',
      meeting: { ...followedMeeting(), meetingAt: '2026-11-30T14:00:00+01:00', eventId: 'evt-red-2' },
    });
  });

  it('given one that sorts before, then it is older; only the same eventId is a duplicate', () => {
    const stored = followedMeeting({ eventId: 'evt-red-5' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored, detection: detection({ ...tie, eventId: 'evt-red-0' }), execution: 'exec-2', callAt: () => '2026-11-16T09:00:00+01:00' })).toEqual({
      action: 'record-only',
      why: 'older',
    });
    expect(decideOnDetection({ accountId: ACCOUNT, stored, detection: detection({ ...tie, eventId: 'evt-red-5' }), execution: 'exec-2', callAt: () => '2026-11-16T09:00:00+01:00' })).toEqual({
      action: 'record-only',
      why: 'duplicate',
    });
  });
});

describe('a detection after the follow-up failed for good', () => {
  const failed = (overrides: Partial<CompetitorMeeting> = {}) => {
    const stored = followedMeeting(overrides);
    return { ...stored, followUp: { ...stored.followUp!, state: 'ended' as const, outcome: 'failed' as const } };
  };

  it('given the same event delivered again, then this execution reopens the same follow-up (same reason and start), counted from its detection', () => {
    const from: unknown[] = [];
    const decision = decideOnDetection({
      accountId: ACCOUNT,
      stored: failed(),
      detection: detection(),
      execution: 'exec-2',
      callAt: (detected) => (from.push(detected), '2026-11-16T09:00:00+01:00'),
    });
    expect(decision).toEqual({
      action: 'follow-up',
      write: true,
      meeting: { ...followedMeeting(), followUp: { execution: 'exec-2', reason: 'evt-red-1', since: '2026-11-02T10:00:00+01:00', callAt: '2026-11-16T09:00:00+01:00', state: 'waiting' } },
    });
    expect(from).toEqual([{ detectedAt: '2026-11-02T10:00:00+01:00', meetingAt: '2026-11-23T14:00:00+01:00' }]);
  });

  it('given the opening event delivered again after a later update, then the follow-up reopens for the meeting as last recorded', () => {
    const stored = failed({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' });
    const from: unknown[] = [];
    const decision = decideOnDetection({ accountId: ACCOUNT, stored, detection: detection(), execution: 'exec-3', callAt: (detected) => (from.push(detected), '2026-11-23T09:00:00+01:00') });
    expect(decision).toMatchObject({ action: 'follow-up', meeting: { meetingAt: '2026-11-30T14:00:00+01:00', followUp: { execution: 'exec-3', reason: 'evt-red-1', state: 'waiting' } } });
    expect(from).toEqual([{ detectedAt: '2026-11-02T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' }]);
  });

  it('given the update delivered again, then the reopening execution, retried, still handles the coupled signals (it is no take-over)', () => {
    const stored = failed({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' });
    const update = detection({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' });
    const reopened = decideOnDetection({ accountId: ACCOUNT, stored, detection: update, execution: 'exec-3', callAt: () => '2026-11-23T09:00:00+01:00' });
    if (reopened.action !== 'follow-up') throw new Error(`expected a reopened follow-up, got ${reopened.action}`);
    expect(decideOnDetection({ accountId: ACCOUNT, stored: reopened.meeting, detection: update, execution: 'exec-3', callAt: () => '2026-11-23T09:00:00+01:00' })).toEqual({
      action: 'follow-up',
      write: false,
      meeting: reopened.meeting,
    });
  });

  it('given a later detection, then it opens a new follow-up from itself, as after a cancellation', () => {
    const moved = detection({ eventId: 'evt-red-4', detectedAt: '2026-11-17T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: failed(), detection: moved, execution: 'exec-4', callAt: () => '2026-11-23T09:00:00+01:00' })).toMatchObject({
      action: 'follow-up',
      write: true,
      meeting: { meetingAt: '2026-11-30T14:00:00+01:00', followUp: { execution: 'exec-4', reason: 'evt-red-4', since: '2026-11-17T10:00:00+01:00', state: 'waiting' } },
    });
  });

  it('given the meeting was cancelled since, when its event is delivered again, then nothing is reopened', () => {
    expect(decideOnDetection({ accountId: ACCOUNT, stored: failed({ status: 'cancelled' }), detection: detection(), execution: 'exec-2', callAt: () => '2026-11-16T09:00:00+01:00' })).toEqual({
      action: 'record-only',
      why: 'cancelled',
    });
  });
});

describe('a take-over retried', () => {
  it("given this execution took the follow-up over, when its plan is retried, then it is a take-over again (the signals were handled by the opening execution)", () => {
    const moved = detection({ eventId: 'evt-red-2', detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-10T14:00:00+01:00' });
    const takeOver = decideOnDetection({ accountId: ACCOUNT, stored: followedMeeting(), detection: moved, execution: 'exec-2', callAt: () => '2026-11-05T09:00:00+01:00' });
    if (takeOver.action !== 'take-over') throw new Error(`expected a take-over, got ${takeOver.action}`);
    expect(decideOnDetection({ accountId: ACCOUNT, stored: takeOver.meeting, detection: moved, execution: 'exec-2', callAt: () => '2026-11-05T09:00:00+01:00' })).toMatchObject({
      action: 'take-over',
      write: false,
    });
  });
});

describe('a detection of a meeting that had already taken place', () => {
  const past = detection({ detectedAt: '2026-11-13T10:00:00+01:00', meetingAt: '2026-11-12T14:00:00+01:00' });
  const noCallDay = () => {
    throw new Error('no follow-up, no call day');
  };

  it('given the first detection says the meeting was yesterday, then no follow-up: the meeting is recorded and a note says why', () => {
    const decision = decideOnDetection({ accountId: ACCOUNT, stored: undefined, detection: past, execution: 'exec-1', callAt: noCallDay });
    expect(decision).toMatchObject({ action: 'note-only', why: 'past', meeting: { meetingAt: '2026-11-12T14:00:00+01:00' } });
    expect(decision.action === 'note-only' && decision.meeting.followUp).toBeUndefined();
  });

  it('given that detection delivered again, then the note is asked for again (it is written once), still no follow-up', () => {
    const first = decideOnDetection({ accountId: ACCOUNT, stored: undefined, detection: past, execution: 'exec-1', callAt: noCallDay });
    if (first.action !== 'note-only') throw new Error('expected a note');
    expect(decideOnDetection({ accountId: ACCOUNT, stored: first.meeting, detection: past, execution: 'exec-2', callAt: noCallDay })).toMatchObject({ action: 'note-only' });
  });

  it('given a meeting at the very instant of its detection, then it is past too', () => {
    const now = detection({ detectedAt: '2026-11-13T10:00:00+01:00', meetingAt: '2026-11-13T10:00:00+01:00' });
    expect(decideOnDetection({ accountId: ACCOUNT, stored: undefined, detection: now, execution: 'exec-1', callAt: noCallDay }).action).toBe('note-only');
  });
});
