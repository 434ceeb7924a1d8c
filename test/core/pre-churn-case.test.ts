import { describe, expect, it } from 'vitest';
import {
  isUnattended,
  newCase,
  stopWaiting,
  outcomeView,
  park,
  recordOutcome,
  waitersToResume,
  withStatus,
  type CaseOpening,
  type PreChurnCase,
  type SaveOutcome,
} from '../../functions/core/pre-churn/case.ts';

// The case record every pre-churn step meets on: the first conclusive outcome wins, a loss needs its
// proof, and an execution parked on the case is resumed by an outcome it has not acted on, whenever it came.

const OPENING: CaseOpening = {
  eventId: 'evt-cancel-1',
  requestedAt: '2026-11-12T10:00:00+01:00',
  channel: 'email',
  openedAt: '2026-11-12T10:00:05+01:00',
  days: 10,
  windowDays: 14,
  ownerRole: 'sales',
  owner: 'sales-sam',
  saveDeadline: '2026-11-19T18:00:00+01:00',
};
const fresh = (): PreChurnCase => newCase({ id: 'pch-1', accountId: 'acc-1', signedAt: '2026-11-02T15:00:00+01:00', timezone: 'Europe/Paris' });
const opened = (opening: Partial<CaseOpening> = {}): PreChurnCase => withStatus({ ...fresh(), opened: { ...OPENING, ...opening } });
const outcome = (eventId: string, kind: 'saved' | 'lost', proofUrl?: string): SaveOutcome => ({
  eventId,
  outcome: kind,
  ...(proofUrl ? { proofUrl } : {}),
  at: '2026-11-13T10:00:00+01:00',
  recordedAt: '2026-11-13T10:00:01+01:00',
});
const PROOF = 'https://files.example.com/proof/sms-1.png';

describe('recording the outcome of the save', () => {
  it('given an open case, when it is saved, then the case is saved', () => {
    expect(recordOutcome(opened(), outcome('evt-o1', 'saved'))).toMatchObject({ result: 'recorded', record: { status: 'saved' } });
  });

  it('given an open case, when it is lost with a proof, then it is lost', () => {
    expect(recordOutcome(opened(), outcome('evt-o1', 'lost', PROOF))).toMatchObject({ result: 'recorded', record: { status: 'lost' } });
  });

  it('given an open case, when it is lost without proof, then it awaits the proof: not concluded', () => {
    expect(recordOutcome(opened(), outcome('evt-o1', 'lost'))).toMatchObject({ result: 'recorded', record: { status: 'awaiting-proof' } });
  });

  it('given the cancellation itself carried the proof, when the case is lost without one, then that proof stands: lost', () => {
    expect(recordOutcome(opened({ proofUrl: PROOF }), outcome('evt-o1', 'lost'))).toMatchObject({ record: { status: 'lost' } });
  });

  it('given the same outcome event delivered again, then it is a repeat: nothing changes', () => {
    const first = recordOutcome(opened(), outcome('evt-o1', 'lost', PROOF)).record;
    expect(recordOutcome(first, outcome('evt-o1', 'lost', PROOF))).toEqual({ result: 'repeated', record: first });
  });

  it('given a case concluded lost, when another "lost" event comes, then it is ignored: the first conclusive outcome wins', () => {
    const lost = recordOutcome(opened(), outcome('evt-o1', 'lost', PROOF)).record;
    expect(recordOutcome(lost, outcome('evt-o2', 'lost', 'https://files.example.com/other.png'))).toEqual({ result: 'ignored', record: lost, why: 'concluded' });
  });

  it('given a case concluded saved, when a "lost" comes, then it is a conflict for a person: never a refund for a saved client', () => {
    const saved = recordOutcome(opened(), outcome('evt-o1', 'saved')).record;
    expect(recordOutcome(saved, outcome('evt-o2', 'lost', PROOF))).toEqual({ result: 'conflicting', record: saved });
  });

  it('given a case lost without proof, when the proof comes with a second "lost", then it is recorded: lost', () => {
    const awaiting = recordOutcome(opened(), outcome('evt-o1', 'lost')).record;
    expect(recordOutcome(awaiting, outcome('evt-o2', 'lost', PROOF))).toMatchObject({ result: 'recorded', record: { status: 'lost', outcome: { eventId: 'evt-o2' } } });
  });

  it('given a case lost without proof, when another "lost" without proof comes, then it is ignored: still no proof', () => {
    const awaiting = recordOutcome(opened(), outcome('evt-o1', 'lost')).record;
    expect(recordOutcome(awaiting, outcome('evt-o2', 'lost'))).toMatchObject({ result: 'ignored', why: 'still-without-proof' });
  });

  it('given a case lost without proof, when the client is saved after all, then it is saved', () => {
    const awaiting = recordOutcome(opened(), outcome('evt-o1', 'lost')).record;
    expect(recordOutcome(awaiting, outcome('evt-o2', 'saved'))).toMatchObject({ result: 'recorded', record: { status: 'saved' } });
  });

  it('given no cancellation yet (the outcome came first), then the outcome is kept on a case not yet opened', () => {
    const recording = recordOutcome(fresh(), outcome('evt-o1', 'lost', PROOF));
    expect(recording).toMatchObject({ result: 'recorded', record: { status: 'lost' } });
    expect(recording.record.opened).toBeUndefined();
  });
});

describe('executions parked on the outcome', () => {
  it('given no outcome yet, when an execution parks, then it waits', () => {
    const { record, resume } = park(opened(), { executionId: 'exec-1', token: 't1', handled: '', since: OPENING.openedAt });
    expect(resume).toBe(false);
    expect(record.waiters['exec-1']).toEqual({ token: 't1', since: OPENING.openedAt, handled: '', state: 'waiting' });
  });

  it('given the outcome recorded before the wait started, when the execution parks, then it is resumed at once', () => {
    const lost = recordOutcome(opened(), outcome('evt-o1', 'lost', PROOF)).record;
    expect(park(lost, { executionId: 'exec-1', token: 't1', handled: '', since: OPENING.openedAt })).toMatchObject({ resume: true, record: { waiters: { 'exec-1': { state: 'resumed' } } } });
  });

  it('given an execution that acted on the outcome already (asked for the proof), when it parks again, then it waits for a newer one', () => {
    const awaiting = recordOutcome(opened(), outcome('evt-o1', 'lost')).record;
    expect(park(awaiting, { executionId: 'exec-1', token: 't2', handled: 'evt-o1', since: OPENING.openedAt }).resume).toBe(false);
  });

  it('given a case no cancellation opened, then nothing may park on it', () => {
    expect(() => park(fresh(), { executionId: 'exec-1', token: 't1', handled: '', since: OPENING.openedAt })).toThrow(/not open/);
  });

  it('given two waiting executions and a new outcome, then both are to be resumed with it, and what they receive names the status', () => {
    let record = park(opened(), { executionId: 'exec-1', token: 't1', handled: '', since: OPENING.openedAt }).record;
    record = park(record, { executionId: 'exec-2', token: 't2', handled: '', since: OPENING.openedAt }).record;
    record = recordOutcome(record, outcome('evt-o1', 'lost', PROOF)).record;
    expect(waitersToResume(record)).toEqual(['exec-1', 'exec-2']);
    expect(outcomeView(record)).toEqual({ caseId: 'pch-1', status: 'lost', outcome: 'lost', eventId: 'evt-o1', at: '2026-11-13T10:00:00+01:00', proofUrl: PROOF });
  });
});

describe('an outcome nobody waits for any more', () => {
  it('given the save deadline passed over an hour ago and nobody waiting, then the case is unattended', () => {
    expect(isUnattended(opened(), new Date('2026-11-19T19:01:00+01:00'))).toBe(true);
  });

  it('given the deadline passed a minute ago (the execution is between two waits), then not yet', () => {
    expect(isUnattended(opened(), new Date('2026-11-19T18:01:00+01:00'))).toBe(false);
  });

  it('given a later wait planned (after the escalation), then the case is attended until it ends', () => {
    const record = { ...opened(), waits: { save: OPENING.saveDeadline, late: '2026-12-19T18:00:00+01:00' } };
    expect(isUnattended(record, new Date('2026-12-01T10:00:00+01:00'))).toBe(false);
    expect(isUnattended(record, new Date('2026-12-20T10:00:00+01:00'))).toBe(true);
  });

  it('given the playbook said it stopped waiting, then an outcome is unattended at once, not an hour later', () => {
    const stopped = stopWaiting(opened(), '', '2026-11-19T18:00:00+01:00');
    expect(stopped.stopped).toBe(true);
    expect(isUnattended(stopped.record, new Date('2026-11-19T18:00:01+01:00'))).toBe(true);
  });

  it('given an outcome recorded in the instant the last wait timed out, then the execution does not stop: it acts on it', () => {
    const lost = recordOutcome(opened(), outcome('evt-o1', 'lost', PROOF)).record;
    expect(stopWaiting(lost, '', '2026-11-19T18:00:00+01:00')).toEqual({ record: lost, stopped: false });
  });

  it('given only the outcome it already acted on (lost without proof), then it stops', () => {
    const awaiting = recordOutcome(opened(), outcome('evt-o1', 'lost')).record;
    expect(stopWaiting(awaiting, 'evt-o1', '2026-12-19T18:00:00+01:00')).toMatchObject({ stopped: true, record: { waitingEnded: '2026-12-19T18:00:00+01:00' } });
  });

  it('given no cancellation yet, then an outcome is simply kept: the wait will find it', () => {
    expect(isUnattended(fresh(), new Date('2027-01-01T10:00:00+01:00'))).toBe(false);
  });
});
