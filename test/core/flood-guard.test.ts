import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES } from '../../functions/contracts/index.ts';
import { admission, floodEventId, floodWindow, GUARDED_TYPES, isGuarded } from '../../functions/core/flood/flood-guard.ts';

describe('the flood guard: past the hour’s limit, an account’s events are held, and said once', () => {
  it('given a limit of 30, then the first 30 events of the hour go on the bus and the 31st and later are held', () => {
    expect(admission(1, 30)).toBe('publish');
    expect(admission(30, 30)).toBe('publish');
    expect(admission(31, 30)).toBe('hold');
    expect(admission(500, 30)).toBe('hold');
  });

  it('given two instants in the same clock hour (UTC), then they count in one window; the next hour is a new one', () => {
    expect(floodWindow(new Date('2026-11-20T10:00:00+01:00'))).toBe('2026-11-20T09:00:00.000Z');
    expect(floodWindow(new Date('2026-11-20T10:59:59.999+01:00'))).toBe('2026-11-20T09:00:00.000Z');
    expect(floodWindow(new Date('2026-11-20T11:00:00+01:00'))).toBe('2026-11-20T10:00:00.000Z');
  });

  it('given the events that make work for people (answers, risks, red alerts, client feedback, cancellations, requests), then those are guarded, and facts that close or record work are not', () => {
    expect([...GUARDED_TYPES].sort()).toEqual(
      ['CancellationRequested', 'ChurnRiskCreated', 'ClientFeedbackReceived', 'CompetitorMeetingDetected', 'HardwareOrderRequested', 'NpsResponseReceived', 'UpsellRequested'],
    );
    const unguarded = DETAIL_TYPES.filter((type) => !isGuarded(type));
    expect(unguarded).toEqual(expect.arrayContaining(['AccountUpdated', 'TouchpointLogged', 'ProductUsageRecorded', 'TaskCompleted', 'AlertAcknowledged', 'ApprovalDecided', 'AccountFlooded']));
  });

  it('given an account and a window, then its flood has one id, whichever held event raises it', () => {
    expect(floodEventId('acc-1', '2026-11-20T09:00:00.000Z')).toBe('flood:acc-1:2026-11-20T09:00:00.000Z');
  });
});
