import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { CompetitorMeeting } from '../../functions/core/competitor-meeting/meeting.ts';
import { ledger, useLocalLedger } from '../support/ledger-fixture.ts';

// The meeting record's conditional writes against a real DynamoDB API (dynalite), never mocked.
useLocalLedger('competitor-meeting-ledger-test');

let counter = 0;
function aMeeting(overrides: Partial<CompetitorMeeting> = {}): CompetitorMeeting {
  return {
    meetingId: `mtg-${++counter}`,
    accountId: 'acc-ledger',
    competitor: 'Planity',
    meetingAt: '2026-11-23T14:00:00+01:00',
    status: 'scheduled',
    detectedAt: '2026-11-02T10:00:00+01:00',
    eventId: 'evt-red-1',
    followUp: { execution: 'exec-1', reason: 'evt-red-1', since: '2026-11-02T10:00:00+01:00', callAt: '2026-11-16T09:00:00+01:00', state: 'waiting' },
    ...overrides,
  };
}

describe('the competitor meeting in the ledger', () => {
  it('given a meeting written once, then it reads back with version 1; an unknown meeting reads as version 0', async () => {
    const meeting = aMeeting();
    await ledger.writeCompetitorMeeting(meeting, 0);
    expect(await ledger.getCompetitorMeeting('acc-ledger', meeting.meetingId)).toEqual({ meeting, version: 1 });
    expect(await ledger.getCompetitorMeeting('acc-ledger', 'mtg-unknown')).toEqual({ meeting: undefined, version: 0 });
  });

  it('given two first detections racing, then the second write fails its condition (and its step is retried, re-reading)', async () => {
    const meeting = aMeeting();
    await ledger.writeCompetitorMeeting(meeting, 0);
    await expect(ledger.writeCompetitorMeeting({ ...meeting, followUp: { ...meeting.followUp!, execution: 'exec-2' } }, 0)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect((await ledger.getCompetitorMeeting('acc-ledger', meeting.meetingId)).meeting?.followUp?.execution).toBe('exec-1');
  });

  it('given a newer detection written, then a write made from the older read fails: nobody overwrites what they did not see', async () => {
    const meeting = aMeeting();
    await ledger.writeCompetitorMeeting(meeting, 0);
    await ledger.writeCompetitorMeeting({ ...meeting, detectedAt: '2026-11-04T10:00:00+01:00', meetingAt: '2026-11-30T14:00:00+01:00' }, 1);
    await expect(ledger.writeCompetitorMeeting({ ...meeting, followUp: { ...meeting.followUp!, state: 'ended', outcome: 'called' } }, 1)).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    expect((await ledger.getCompetitorMeeting('acc-ledger', meeting.meetingId)).meeting?.meetingAt).toBe('2026-11-30T14:00:00+01:00');
  });

  it('given a newer detection stored, then an older detection is refused by the condition on detectedAt, even with the current version', async () => {
    const meeting = aMeeting({ detectedAt: '2026-11-04T10:00:00+01:00' }); // 09:00 UTC
    await ledger.writeCompetitorMeeting(meeting, 0);
    // The same instant written with another offset is not older: accepted.
    await ledger.writeCompetitorMeeting({ ...meeting, detectedAt: '2026-11-04T04:00:00-05:00' }, 1);
    // A minute earlier is older, whatever its offset says: refused.
    await expect(ledger.writeCompetitorMeeting({ ...meeting, detectedAt: '2026-11-04T09:59:00+01:00', meetingAt: '2026-12-01T14:00:00+01:00' }, 2)).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    expect((await ledger.getCompetitorMeeting('acc-ledger', meeting.meetingId)).meeting?.meetingAt).toBe('2026-11-23T14:00:00+01:00');
  });

  it('given the same note twice, then it is kept once', async () => {
    const note = { id: 'note-1', accountId: 'acc-ledger', playbook: 'competitor-meeting', reason: 'evt-red-1', text: 'Red alert', at: '2026-11-02T10:00:00+01:00' };
    expect((await ledger.recordNote(note)).created).toBe(true);
    expect((await ledger.recordNote({ ...note, text: 'again' })).item.text).toBe('Red alert');
  });
});
