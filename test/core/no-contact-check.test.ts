import { describe, expect, it } from 'vitest';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { checkFailed, LEASE_GRACE_MS } from '../../functions/core/checks/held-check.ts';
import { CHECK_SLICE_MS } from '../../functions/core/checks/wake-up.ts';
import {
  countId,
  countStart,
  touchpointSignal,
  decideAfterWakeUp,
  decideOnStart,
  type CheckDecision,
  type ContactSignal,
  type NoContactCheck,
} from '../../functions/core/no-contact/check.ts';
import { checkClock } from '../../functions/core/no-contact/schedule.ts';
import { calendar, PARIS } from '../support/business-calendar.ts';

// An account in Paris, defaults: noContactDays 91, noContactReminderDays 7. A call on Monday
// 16 November 2026 makes the check due on Monday 15 February 2027 at 09:00.
const SETTINGS = { noContactDays: 91, noContactReminderDays: 7 };
const local = (at: Date) => formatLocalIso(at, PARIS.timezone);
const clockAt = (now: string) => checkClock(new Date(now), PARIS, SETTINGS, calendar, local);
const touchpoint = (at: string): ContactSignal => ({ at: new Date(at), from: 'touchpoint' });

const CALL = '2026-11-16T10:00:00+01:00';
const DUE = '2027-02-15T09:00:00+01:00';

/** The check as the execution `exec-1` claimed it after the call, waiting, generation `generation`. */
function heldCheck(overrides: Partial<NoContactCheck> = {}): NoContactCheck {
  return {
    accountId: 'acc-paris',
    lastTouchpointAt: CALL,
    countFrom: 'touchpoint',
    cycleFrom: CALL,
    phase: 'waiting',
    status: 'live',
    holder: 'exec-1',
    generation: 0,
    wakeAt: '2026-12-16T10:00:00+01:00',
    ...overrides,
  };
}

describe('starting the check: one live check per account', () => {
  it('given no check for the account, when a call is logged, then this execution claims it and wakes one slice later (the check is due in 91 days)', () => {
    const decision = decideOnStart({ accountId: 'acc-paris', stored: undefined, signal: touchpoint(CALL), execution: 'exec-1', clock: clockAt(CALL) });
    expect(decision).toEqual({ action: 'claimed', write: true, check: heldCheck() });
  });

  it('given a live check, when the same call is delivered again, then nothing changes and the second execution ends', () => {
    const decision = decideOnStart({ accountId: 'acc-paris', stored: heldCheck(), signal: touchpoint(CALL), execution: 'exec-2', clock: clockAt('2026-11-16T10:00:05+01:00') });
    expect(decision).toEqual({ action: 'unchanged', why: 'live' });
  });

  it('given a live check, when a later call is logged, then it is written on the check for the holder to re-plan from, and the holder keeps it', () => {
    // Generation 1 of the holder waits until 14 February.
    const stored = heldCheck({ generation: 1, wakeAt: '2027-02-14T10:00:00+01:00' });
    const decision = decideOnStart({ accountId: 'acc-paris', stored, signal: touchpoint('2027-01-15T11:00:00+01:00'), execution: 'exec-2', clock: clockAt('2027-01-15T11:00:00+01:00') });
    expect(decision).toEqual({ action: 'noted', check: { ...stored, lastTouchpointAt: '2027-01-15T11:00:00+01:00' } });
  });

  it('given a live check, when a call older than the last one arrives late, then the check does not move backwards', () => {
    const stored = heldCheck({ lastTouchpointAt: '2027-01-15T11:00:00+01:00', generation: 1, wakeAt: '2027-02-14T10:00:00+01:00' });
    const decision = decideOnStart({ accountId: 'acc-paris', stored, signal: touchpoint('2026-12-01T10:00:00+01:00'), execution: 'exec-3', clock: clockAt('2027-01-20T10:00:00+01:00') });
    expect(decision).toEqual({ action: 'unchanged', why: 'live' });
  });

  it('given a touchpoint stamped in the future by a vendor clock, then it counts as now, never later', () => {
    const decision = decideOnStart({ accountId: 'acc-paris', stored: undefined, signal: touchpoint('2027-06-01T10:00:00+02:00'), execution: 'exec-1', clock: clockAt(CALL) });
    expect(decision).toMatchObject({ action: 'claimed', check: { lastTouchpointAt: CALL, cycleFrom: CALL } });
  });

  it('given the execution that claimed the check, when its start step is retried, then it holds the check again and writes nothing', () => {
    const decision = decideOnStart({ accountId: 'acc-paris', stored: heldCheck(), signal: touchpoint(CALL), execution: 'exec-1', clock: clockAt(CALL) });
    expect(decision).toEqual({ action: 'claimed', write: false, check: heldCheck() });
  });

  it('given a live check, when the CRM updates the account, then nothing changes: only a touchpoint moves a count', () => {
    const signal = countStart({ signedAt: '2026-12-01T10:00:00+01:00', seenAt: new Date('2026-12-02T10:00:00+01:00'), now: new Date('2026-12-02T10:00:00+01:00') });
    expect(decideOnStart({ accountId: 'acc-paris', stored: heldCheck(), signal, execution: 'exec-2', clock: clockAt('2026-12-02T10:00:00+01:00') })).toEqual({ action: 'unchanged', why: 'live' });
  });

  it('given a check that ended with its reminder, when the CRM updates the account, then it stays ended until the next touchpoint', () => {
    const ended = heldCheck({ status: 'ended', phase: 'reminding', outreachAt: DUE });
    const signal = countStart({ latestTouchpointAt: CALL, seenAt: new Date('2027-03-01T10:00:00+01:00'), now: new Date('2027-03-01T10:00:00+01:00') });
    expect(decideOnStart({ accountId: 'acc-paris', stored: ended, signal, execution: 'exec-9', clock: clockAt('2027-03-01T10:00:00+01:00') })).toEqual({ action: 'unchanged', why: 'ended' });
  });

  it('given a check that ended with its reminder, when a new call is logged, then a new count starts from it, held by that execution', () => {
    const ended = heldCheck({ status: 'ended', phase: 'reminding', outreachAt: DUE, generation: 4 });
    const decision = decideOnStart({ accountId: 'acc-paris', stored: ended, signal: touchpoint('2027-03-01T10:00:00+01:00'), execution: 'exec-9', clock: clockAt('2027-03-01T10:00:00+01:00') });
    // A slice is 30 × 24 hours: across the spring DST change its end reads 11:00. Only a due date is 09:00 local.
    expect(decision).toEqual({
      action: 'claimed',
      write: true,
      check: heldCheck({ holder: 'exec-9', lastTouchpointAt: '2027-03-01T10:00:00+01:00', cycleFrom: '2027-03-01T10:00:00+01:00', wakeAt: '2027-03-31T11:00:00+02:00' }),
    });
  });

  it('given a check whose holder failed while reminding, when the CRM updates the account, then the check resumes where it was (same count, same outreach), held by the new execution', () => {
    const failed = heldCheck({ status: 'failed', phase: 'reminding', outreachAt: DUE, generation: 4, wakeAt: undefined });
    const signal = countStart({ latestTouchpointAt: CALL, seenAt: new Date('2027-02-16T10:00:00+01:00'), now: new Date('2027-02-16T10:00:00+01:00') });
    const decision = decideOnStart({ accountId: 'acc-paris', stored: failed, signal, execution: 'exec-7', clock: clockAt('2027-02-16T10:00:00+01:00') });
    expect(decision).toEqual({
      action: 'claimed',
      write: true,
      check: heldCheck({ holder: 'exec-7', generation: 0, phase: 'reminding', outreachAt: DUE, wakeAt: '2027-02-22T09:00:00+01:00' }),
    });
  });

  it('given a holder more than a day past its wake-up (stopped, timed out, its hand-over lost), when the next event comes, then a new execution takes the check over', () => {
    const lapsed = new Date(Date.parse('2026-12-16T10:00:00+01:00') + LEASE_GRACE_MS + 1000);
    const decision = decideOnStart({ accountId: 'acc-paris', stored: heldCheck(), signal: touchpoint(CALL), execution: 'exec-5', clock: clockAt(lapsed.toISOString()) });
    expect(decision).toMatchObject({ action: 'claimed', write: true, check: { holder: 'exec-5', generation: 0, cycleFrom: CALL } });
  });

  it('given a holder late by less than the grace, then it still holds the check', () => {
    const late = new Date(Date.parse('2026-12-16T10:00:00+01:00') + LEASE_GRACE_MS - 1000);
    expect(decideOnStart({ accountId: 'acc-paris', stored: heldCheck(), signal: touchpoint(CALL), execution: 'exec-5', clock: clockAt(late.toISOString()) })).toEqual({
      action: 'unchanged',
      why: 'live',
    });
  });
});

describe('where a count starts when the CRM, not a touchpoint, reaches the check', () => {
  const now = new Date('2026-11-16T10:00:00+01:00');

  it('given touchpoints on file, then from the latest', () => {
    expect(countStart({ latestTouchpointAt: '2026-10-01T10:00:00+02:00', signedAt: '2025-01-10T10:00:00+01:00', seenAt: now, now })).toEqual({ at: new Date('2026-10-01T10:00:00+02:00'), from: 'touchpoint' });
  });

  it('given no touchpoint on file, then from the contract signature', () => {
    expect(countStart({ signedAt: '2026-09-01T10:00:00+02:00', seenAt: now, now })).toEqual({ at: new Date('2026-09-01T10:00:00+02:00'), from: 'signed' });
  });

  it('given neither, then from when the check first sees the account', () => {
    expect(countStart({ seenAt: now, now })).toEqual({ at: now, from: 'first-seen' });
  });

  it('given a signature date in the future, then from now', () => {
    expect(countStart({ signedAt: '2027-01-01T10:00:00+01:00', seenAt: now, now })).toEqual({ at: now, from: 'signed' });
  });

  it('given an account signed in 2019 and imported this month, then from the import: history nobody watched is not overdue on day one', () => {
    const importedAt = '2026-11-02T09:30:00+01:00';
    expect(countStart({ signedAt: '2019-03-12T10:00:00+01:00', importedAt, seenAt: now, now })).toEqual({ at: new Date(importedAt), from: 'imported' });
  });

  it('given a touchpoint from before the import on file, then from the import', () => {
    const importedAt = '2026-11-02T09:30:00+01:00';
    expect(countStart({ latestTouchpointAt: '2024-06-01T10:00:00+02:00', signedAt: '2019-03-12T10:00:00+01:00', importedAt, seenAt: now, now })).toEqual({ at: new Date(importedAt), from: 'imported' });
  });

  it('given a touchpoint since the import, then from the touchpoint', () => {
    expect(countStart({ latestTouchpointAt: '2026-11-10T15:00:00+01:00', importedAt: '2026-11-02T09:30:00+01:00', seenAt: now, now })).toEqual({ at: new Date('2026-11-10T15:00:00+01:00'), from: 'touchpoint' });
  });

  it('given a contract signed after the import (a new customer loaded before its signature), then from the signature', () => {
    expect(countStart({ signedAt: '2026-11-05T10:00:00+01:00', importedAt: '2026-11-02T09:30:00+01:00', seenAt: now, now })).toEqual({ at: new Date('2026-11-05T10:00:00+01:00'), from: 'signed' });
  });
});

describe('where a count starts when a touchpoint reaches the check', () => {
  it('given a call logged after the import, then from the call', () => {
    expect(touchpointSignal('2026-11-10T15:00:00+01:00', '2026-11-02T09:30:00+01:00')).toEqual({ at: new Date('2026-11-10T15:00:00+01:00'), from: 'touchpoint' });
  });

  it('given a call from 2019 delivered after the import (a CRM backfill), then from the import', () => {
    expect(touchpointSignal('2019-05-06T11:00:00+02:00', '2026-11-02T09:30:00+01:00')).toEqual({ at: new Date('2026-11-02T09:30:00+01:00'), from: 'imported' });
  });

  it('given an account stored before imports were dated, then from the call', () => {
    expect(touchpointSignal('2019-05-06T11:00:00+02:00', undefined)).toEqual({ at: new Date('2019-05-06T11:00:00+02:00'), from: 'touchpoint' });
  });
});

describe('the holder wakes up: re-read, then wait again, propose an exchange, or remind', () => {
  const token = (generation = 0) => ({ holder: 'exec-1', generation });

  it('given no touchpoint since the call, when the holder wakes after its first slice, then it hands over to generation 1, which wakes one slice later', () => {
    const after = decideAfterWakeUp({ stored: heldCheck(), token: token(), latestTouchpointAt: CALL, clock: clockAt('2026-12-16T10:00:00+01:00') });
    const decided: CheckDecision = { generation: 0, decision: 'wait', why: 'not-due', cycle: countId(CALL), next: { generation: 1, wakeAt: '2027-01-15T10:00:00+01:00' } };
    expect(after).toEqual({ decision: 'wait', decided, check: heldCheck({ generation: 1, wakeAt: '2027-01-15T10:00:00+01:00', decided }) });
  });

  it('given the last slice ends a day before the due date, then the next generation wakes at the due date, not a slice later', () => {
    const stored = heldCheck({ generation: 2, wakeAt: '2027-02-14T10:00:00+01:00' });
    const after = decideAfterWakeUp({ stored, token: token(2), latestTouchpointAt: CALL, clock: clockAt('2027-02-14T10:00:00+01:00') });
    expect(after).toMatchObject({ decision: 'wait', decided: { next: { generation: 3, wakeAt: DUE } } });
  });

  it('given a call logged on day 60 (filed in the ledger, whatever the order of delivery), when the holder wakes, then it counts again from that call', () => {
    const after = decideAfterWakeUp({ stored: heldCheck({ generation: 2 }), token: token(2), latestTouchpointAt: '2027-01-15T11:00:00+01:00', clock: clockAt('2027-02-14T10:00:00+01:00') });
    expect(after).toMatchObject({
      decision: 'wait',
      decided: { why: 'touchpoint', cycle: countId('2027-01-15T11:00:00+01:00'), next: { generation: 3, wakeAt: '2027-03-16T10:00:00+01:00' } },
      check: { cycleFrom: '2027-01-15T11:00:00+01:00', lastTouchpointAt: '2027-01-15T11:00:00+01:00', phase: 'waiting' },
    });
  });

  it('given the due date reached with no touchpoint, then outreach: the check moves to reminding and the next generation wakes for the reminder a week later', () => {
    const after = decideAfterWakeUp({ stored: heldCheck({ generation: 3 }), token: token(3), latestTouchpointAt: CALL, clock: clockAt(DUE) });
    expect(after).toMatchObject({
      decision: 'outreach',
      decided: { generation: 3, cycle: countId(CALL), next: { generation: 4, wakeAt: '2027-02-22T09:00:00+01:00' } },
      check: { phase: 'reminding', outreachAt: DUE, generation: 4 },
    });
  });

  it('given a touchpoint after the outreach, when the reminder is due, then no reminder: the goal is met and a new count starts from that touchpoint', () => {
    const stored = heldCheck({ phase: 'reminding', outreachAt: DUE, generation: 4 });
    const after = decideAfterWakeUp({ stored, token: token(4), latestTouchpointAt: '2027-02-17T15:00:00+01:00', clock: clockAt('2027-02-22T09:00:00+01:00') });
    expect(after).toMatchObject({ decision: 'wait', decided: { why: 'touchpoint', cycle: countId('2027-02-17T15:00:00+01:00') }, check: { phase: 'waiting' } });
    expect(after.decision !== 'superseded' && after.check).not.toHaveProperty('outreachAt');
  });

  it('given no touchpoint a week after the outreach, then the reminder, and the check ends', () => {
    const stored = heldCheck({ phase: 'reminding', outreachAt: DUE, generation: 4, wakeAt: '2027-02-22T09:00:00+01:00' });
    const after = decideAfterWakeUp({ stored, token: token(4), latestTouchpointAt: CALL, clock: clockAt('2027-02-22T09:00:00+01:00') });
    expect(after).toMatchObject({ decision: 'remind', decided: { generation: 4, decision: 'remind', cycle: countId(CALL) }, check: { status: 'ended', generation: 4 } });
    expect(after.decision !== 'superseded' && after.check).not.toHaveProperty('wakeAt');
  });

  it('given a decision already written by this generation (its answer lost, the step retried), then the same answer and nothing to write', () => {
    const first = decideAfterWakeUp({ stored: heldCheck({ generation: 3 }), token: token(3), latestTouchpointAt: CALL, clock: clockAt(DUE) });
    if (first.decision === 'superseded' || !first.check) throw new Error('expected an outreach');
    const retry = decideAfterWakeUp({ stored: first.check, token: token(3), latestTouchpointAt: CALL, clock: clockAt('2027-02-15T09:00:08+01:00') });
    expect(retry).toEqual({ decision: 'outreach', decided: first.decided, check: undefined });
  });

  it('given the check held by another execution (taken over), then this one is superseded and acts on nothing', () => {
    const after = decideAfterWakeUp({ stored: heldCheck({ holder: 'exec-5' }), token: token(), latestTouchpointAt: CALL, clock: clockAt(DUE) });
    expect(after).toEqual({ decision: 'superseded' });
  });

  it('given an execution of an earlier generation still running (a stale one), then it is superseded', () => {
    const after = decideAfterWakeUp({ stored: heldCheck({ generation: 3 }), token: token(1), latestTouchpointAt: CALL, clock: clockAt(DUE) });
    expect(after).toEqual({ decision: 'superseded' });
  });

  it('given a check marked failed, then its holder is superseded too', () => {
    expect(decideAfterWakeUp({ stored: heldCheck({ status: 'failed' }), token: token(), clock: clockAt(DUE) })).toEqual({ decision: 'superseded' });
  });

  it('given any wake-up, then the next one is at most one slice away', () => {
    for (const now of ['2026-12-16T10:00:00+01:00', '2027-01-02T03:00:00+01:00', '2027-02-01T18:00:00+01:00']) {
      const after = decideAfterWakeUp({ stored: heldCheck(), token: token(), latestTouchpointAt: CALL, clock: clockAt(now) });
      if (after.decision === 'superseded') throw new Error('expected a hand-over');
      expect(Date.parse(after.decided.next!.wakeAt) - Date.parse(now)).toBeLessThanOrEqual(CHECK_SLICE_MS);
    }
  });
});

describe('the id of a count: the reason its tasks are keyed on', () => {
  it('given the same instant written in two offsets (the account moved zone), then the same count', () => {
    expect(countId('2026-11-16T10:00:00+01:00')).toBe(countId('2026-11-16T04:00:00-05:00'));
    expect(countId(CALL)).toBe('count-from-2026-11-16T09:00:00.000Z');
  });
});

describe('a holder that failed for good', () => {
  it('given the check held by this execution, then it is marked failed, without a wake-up', () => {
    expect(checkFailed(heldCheck(), { holder: 'exec-1', generation: 0 })).toEqual(heldCheck({ status: 'failed', wakeAt: undefined }));
  });

  it('given this generation decided a hand-over or an outreach before failing, then it is still its check to release', () => {
    const handedOver = heldCheck({ generation: 4, decided: { generation: 3, decision: 'outreach', cycle: countId(CALL), next: { generation: 4, wakeAt: '2027-02-22T09:00:00+01:00' } } });
    expect(checkFailed(handedOver, { holder: 'exec-1', generation: 3 })).toMatchObject({ status: 'failed' });
  });

  it('given another holder or generation, or a check already failed, then nothing to write', () => {
    expect(checkFailed(heldCheck({ holder: 'exec-5' }), { holder: 'exec-1', generation: 0 })).toBeUndefined();
    expect(checkFailed(heldCheck({ generation: 3 }), { holder: 'exec-1', generation: 1 })).toBeUndefined();
    expect(checkFailed(heldCheck({ status: 'failed' }), { holder: 'exec-1', generation: 0 })).toBeUndefined();
    expect(checkFailed(undefined, { holder: 'exec-1', generation: 0 })).toBeUndefined();
  });
});
