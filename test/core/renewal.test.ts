import { describe, expect, it } from 'vitest';
import { renewalBranch } from '../../functions/core/renewal/branch.ts';
import { decideRenewalStart, decideRenewalWakeUp, renewalDateOf, type RenewalCheck, type RenewalClock } from '../../functions/core/renewal/check.ts';
import { dueMilestone, nextMilestone, noticeDay, renewalMilestones } from '../../functions/core/renewal/milestones.ts';

// docs/playbooks.md, renewal: anchored on the notice date, the branch 120 days before it, reminders at
// 90, 60 and 30 days while the renewal is not recorded; a moved date plans again.

const SETTINGS = { noticeDays: 0, startDays: 120, reminderDays: [90, 60, 30] };
const BRANCHES = { strategicSegments: ['enterprise'], strategicArr: 50_000 };

describe('the renewal calendar', () => {
  it('given a renewal on 30 June 2027 and a 60-day notice, then the notice date is 1 May and the branch comes 120 days before it, the reminders at 90, 60 and 30', () => {
    const settings = { ...SETTINGS, noticeDays: 60 };
    expect(noticeDay('2027-06-30', settings)).toBe('2027-05-01');
    expect(renewalMilestones('2027-06-30', settings)).toEqual([
      { id: 'start', day: '2027-01-01', daysBefore: 120 },
      { id: 'remind-90', day: '2027-01-31', daysBefore: 90 },
      { id: 'remind-60', day: '2027-03-02', daysBefore: 60 },
      { id: 'remind-30', day: '2027-04-01', daysBefore: 30 },
    ]);
  });

  it('given the branch missed (a renewal date set 45 days ahead), then the branch at once, the reminders passed folded into it, the 30-day one still to come', () => {
    const milestones = renewalMilestones('2027-03-01', SETTINGS);
    const byThe15th = (day: string) => day <= '2027-01-15';
    expect(dueMilestone(milestones, [], byThe15th)).toEqual({ act: milestones[0], folded: ['remind-90', 'remind-60'] });
    expect(nextMilestone(milestones, ['start', 'remind-90', 'remind-60'], byThe15th)).toMatchObject({ id: 'remind-30', day: '2027-01-30' });
  });

  it('given two reminders passed while the check was down, then one reminder, the latest', () => {
    const milestones = renewalMilestones('2027-06-30', SETTINGS);
    expect(dueMilestone(milestones, ['start'], (day) => day <= '2027-05-05')).toEqual({ act: milestones[2], folded: ['remind-90'] });
  });
});

describe('the branch', () => {
  it('given a red health score, or an open churn or downsell risk, then at risk, whatever the size', () => {
    expect(renewalBranch({ band: 'red', openRisks: [], segment: 'enterprise', arr: 90_000 }, BRANCHES)).toBe('at-risk');
    expect(renewalBranch({ band: 'green', openRisks: ['downsell-risk'] }, BRANCHES)).toBe('at-risk');
    expect(renewalBranch({ band: 'green', openRisks: ['client-risk'] }, BRANCHES)).toBe('standard');
  });

  it('given a strategic segment or an ARR at the line, then strategic; else standard', () => {
    expect(renewalBranch({ band: 'yellow', openRisks: [], segment: 'enterprise' }, BRANCHES)).toBe('strategic');
    expect(renewalBranch({ openRisks: [], arr: 50_000 }, BRANCHES)).toBe('strategic');
    expect(renewalBranch({ openRisks: [], arr: 49_999 }, BRANCHES)).toBe('standard');
  });
});

/** A clock in UTC whose business day starts at 09:00 every day: the dates are what these rules are about. */
function clockAt(today: string): RenewalClock {
  return {
    now: new Date(`${today}T10:00:00Z`),
    today,
    day: (at) => at.slice(0, 10),
    dueOn: (day) => new Date(`${day}T09:00:00Z`),
    wakeUpFor: (due) => (due.getTime() <= Date.parse(`${today}T10:00:00Z`) ? new Date(`${today}T10:00:00Z`) : due),
    local: (at) => at.toISOString(),
  };
}
const RENEWAL = '2027-06-30T00:00:00Z';

describe('the check: one per account and renewal date', () => {
  const claimOn = (today: string, renewalAt = RENEWAL) => {
    const start = decideRenewalStart({ accountId: 'acc', stored: undefined, renewalAt, execution: 'exec-1', clock: clockAt(today), settings: SETTINGS });
    if (start.action !== 'claimed') throw new Error(start.action);
    return start.check;
  };

  it('given a renewal date a year ahead, then the check is claimed and wakes on the branch day (2 March)', () => {
    expect(claimOn('2026-07-01')).toMatchObject({ status: 'live', holder: 'exec-1', generation: 0, renewalAt: RENEWAL, done: [], wakeAt: '2027-03-02T09:00:00.000Z' });
  });

  it('given the same renewal date again while the check is live, then nothing changes; a moved date takes it over', () => {
    const stored = claimOn('2026-07-01');
    const again = decideRenewalStart({ accountId: 'acc', stored, renewalAt: RENEWAL, execution: 'exec-2', clock: clockAt('2026-08-01'), settings: SETTINGS });
    expect(again).toEqual({ action: 'unchanged', why: 'live' });
    const moved = decideRenewalStart({ accountId: 'acc', stored, renewalAt: '2027-09-30T00:00:00Z', execution: 'exec-2', clock: clockAt('2026-08-01'), settings: SETTINGS });
    expect(moved).toMatchObject({ action: 'claimed', why: 'moved', check: { holder: 'exec-2', renewalAt: '2027-09-30T00:00:00Z', wakeAt: '2027-06-02T09:00:00.000Z' } });
  });

  it('given the renewal recorded, then written on its check, which ends: the holder finds itself superseded, and a later update of the same date changes nothing', () => {
    const stored = claimOn('2026-07-01');
    const recorded = decideRenewalStart({ accountId: 'acc', stored, renewalAt: RENEWAL, recorded: { outcome: 'renewed', at: '2027-03-10T10:00:00Z', eventId: 'evt-r', renewalAt: RENEWAL }, execution: 'exec-2', clock: clockAt('2027-03-10'), settings: SETTINGS });
    expect(recorded).toMatchObject({ action: 'recorded', check: { status: 'ended', recorded: { outcome: 'renewed' } } });
    const check = (recorded as { check: RenewalCheck }).check;
    expect(decideRenewalWakeUp({ stored: check, token: { holder: 'exec-1', generation: 0 }, renewalAt: RENEWAL, branchToday: 'standard', clock: clockAt('2027-04-01'), settings: SETTINGS }).decision).toBe('superseded');
    expect(decideRenewalStart({ accountId: 'acc', stored: check, renewalAt: RENEWAL, execution: 'exec-3', clock: clockAt('2027-03-11'), settings: SETTINGS })).toEqual({ action: 'unchanged', why: 'recorded' });
  });

  it('given the renewal recorded before any check (the CRM first), then a check ended with it: the update that follows starts nothing', () => {
    const recorded = decideRenewalStart({ accountId: 'acc', stored: undefined, renewalAt: RENEWAL, recorded: { outcome: 'churned', at: '2027-03-10T10:00:00Z', eventId: 'evt-r', renewalAt: RENEWAL }, execution: 'exec-1', clock: clockAt('2027-03-10'), settings: SETTINGS });
    const check = (recorded as { check: RenewalCheck }).check;
    expect(check).toMatchObject({ status: 'ended', recorded: { outcome: 'churned' } });
    expect(decideRenewalStart({ accountId: 'acc', stored: check, renewalAt: RENEWAL, execution: 'exec-2', clock: clockAt('2027-03-10'), settings: SETTINGS }).action).toBe('unchanged');
  });
});

describe('which renewal date an update tells', () => {
  it('given an update carrying a date, then its date; given an older update delivered late, then the later one the ledger holds', () => {
    const ledger = { renewalAt: '2027-09-30T00:00:00Z', setAt: '2027-02-26T09:00:00Z' };
    expect(renewalDateOf({ renewalAt: RENEWAL, at: '2027-02-27T09:00:00Z' }, ledger)).toBe(RENEWAL);
    expect(renewalDateOf({ renewalAt: RENEWAL, at: '2027-02-22T09:00:00Z' }, ledger)).toBe('2027-09-30T00:00:00Z');
  });

  it('given an update without one, then the ledger\'s', () => {
    expect(renewalDateOf({ at: '2027-02-27T09:00:00Z' }, { renewalAt: RENEWAL })).toBe(RENEWAL);
  });
});

describe('a recorded renewal and the check of another date', () => {
  const check: RenewalCheck = { accountId: 'acc', status: 'live', holder: 'exec-1', generation: 0, renewalAt: '2028-06-30T00:00:00Z', done: [], wakeAt: '2028-03-01T09:00:00.000Z' };

  it('given the check watching next year already, when this year\'s renewal is recorded, then next year\'s check goes on', () => {
    const start = decideRenewalStart({ accountId: 'acc', stored: check, renewalAt: check.renewalAt, recorded: { outcome: 'renewed', at: '2027-06-20T10:00:00Z', eventId: 'evt-r', renewalAt: RENEWAL }, execution: 'exec-2', clock: clockAt('2027-06-20'), settings: SETTINGS });
    expect(start).toEqual({ action: 'unchanged', why: 'other-renewal' });
  });

  it('given a check ended because the date was cleared, when the same date comes back, then it resumes', () => {
    const ended: RenewalCheck = { ...check, status: 'ended', wakeAt: undefined, done: ['start'] };
    const start = decideRenewalStart({ accountId: 'acc', stored: ended, renewalAt: check.renewalAt, execution: 'exec-2', clock: clockAt('2028-03-10'), settings: SETTINGS });
    expect(start).toMatchObject({ action: 'claimed', why: 'resumed', check: { done: ['start'], wakeAt: '2028-04-01T09:00:00.000Z' } });
  });
});

describe('the holder wakes up', () => {
  const holding = (check: Partial<RenewalCheck> = {}): RenewalCheck => ({ accountId: 'acc', status: 'live', holder: 'exec-1', generation: 0, renewalAt: RENEWAL, done: [], wakeAt: '2027-03-02T09:00:00.000Z', ...check });
  const wake = (stored: RenewalCheck, today: string, account: { renewalAt: string | undefined } = { renewalAt: RENEWAL }) =>
    decideRenewalWakeUp({ stored, token: { holder: stored.holder, generation: stored.generation }, renewalAt: account.renewalAt, branchToday: 'strategic', clock: clockAt(today), settings: SETTINGS });

  it('given the branch day, then the branch decided that day, and the next wake-up on the 90-day reminder', () => {
    const after = wake(holding(), '2027-03-02');
    expect(after).toMatchObject({ decision: 'start', decided: { milestone: 'start', branch: 'strategic', renewal: '2027-06-30', next: { generation: 1, wakeAt: '2027-04-01T09:00:00.000Z' } }, check: { done: ['start'], branch: 'strategic' } });
  });

  it('given the last reminder, then the check ends with it', () => {
    const after = wake(holding({ done: ['start', 'remind-90', 'remind-60'] }), '2027-05-31');
    expect(after).toMatchObject({ decision: 'remind', decided: { milestone: 'remind-30' }, check: { status: 'ended' } });
    expect((after as { decided: { next?: unknown } }).decided.next).toBeUndefined();
  });

  it('given the renewal date moved later while it slept, then it plans again from the new one: it waits for the new branch day', () => {
    const after = wake(holding(), '2027-03-02', { renewalAt: '2027-12-31T00:00:00Z' });
    expect(after).toMatchObject({ decision: 'wait', decided: { why: 'moved', renewal: '2027-12-31' }, check: { renewalAt: '2027-12-31T00:00:00Z', done: [] } });
  });

  it('given a wake-up at the end of a slice that falls on a reminder\'s date before its business moment (a Saturday), then it waits for the moment', () => {
    const saturday: RenewalClock = { ...clockAt('2027-05-01'), dueOn: (day) => new Date(day === '2027-05-01' ? '2027-05-03T09:00:00Z' : `${day}T09:00:00Z`) };
    const after = decideRenewalWakeUp({ stored: holding({ done: ['start', 'remind-90'] }), token: { holder: 'exec-1', generation: 0 }, renewalAt: RENEWAL, branchToday: 'standard', clock: saturday, settings: SETTINGS });
    expect(after).toMatchObject({ decision: 'wait', decided: { next: { wakeAt: '2027-05-03T09:00:00.000Z' } } });
  });

  it('given the renewal date passed while it slept, then the check ends', () => {
    expect(wake(holding(), '2027-07-01')).toMatchObject({ decision: 'end', decided: { why: 'passed' } });
  });

  it('given the renewal date gone from the account, then the check ends', () => {
    expect(wake(holding(), '2027-03-02', { renewalAt: undefined })).toMatchObject({ decision: 'end', decided: { why: 'no-renewal' }, check: { status: 'ended' } });
  });

  it('given a retried step, then the decision recorded, nothing to write', () => {
    const first = wake(holding(), '2027-03-02') as { check: RenewalCheck };
    const retried = decideRenewalWakeUp({ stored: first.check, token: { holder: 'exec-1', generation: 0 }, renewalAt: RENEWAL, branchToday: 'at-risk', clock: clockAt('2027-03-02'), settings: SETTINGS });
    expect(retried).toMatchObject({ decision: 'start', decided: { branch: 'strategic' }, check: undefined });
  });
});
