import { describe, expect, it } from 'vitest';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { detractorCaller, detractorSchedule, followUpAnchor } from '../../functions/core/nps/detractor-schedule.ts';
import { calendar, NEW_YORK, PARIS } from '../support/business-calendar.ts';

const DEFAULTS = { detractorCoolDown: 2, actionPlanReviewDays: 30 };

/** The two wake-ups of a detractor answer, read back in the account's zone. */
function wakeUps(answeredAt: string, where = PARIS, settings = DEFAULTS) {
  const schedule = detractorSchedule(new Date(answeredAt), where, settings, calendar);
  return { callCheckAt: formatLocalIso(schedule.callCheckAt, where.timezone), planReviewAt: formatLocalIso(schedule.planReviewAt, where.timezone) };
}

describe('the detractor cool-down: detractorCoolDown business days after the answer, at the start of business hours', () => {
  it('given an answer on Thursday 12 November 2026 in Paris, then the call check is on Monday 16 November at 09:00 (the weekend does not count)', () => {
    expect(wakeUps('2026-11-12T10:00:00+01:00').callCheckAt).toBe('2026-11-16T09:00:00+01:00');
  });

  it('given an answer on Thursday evening after business hours, then it is still two business days after Thursday: Monday 09:00', () => {
    expect(wakeUps('2026-11-12T21:30:00+01:00').callCheckAt).toBe('2026-11-16T09:00:00+01:00');
  });

  it('given an answer on Monday 9 November, then the check is on Thursday 12 November: Wednesday 11 November is a public holiday', () => {
    expect(wakeUps('2026-11-09T10:00:00+01:00').callCheckAt).toBe('2026-11-12T09:00:00+01:00');
  });

  it('given an answer on Saturday, then the first business day counts as day one: Tuesday 09:00', () => {
    expect(wakeUps('2026-11-14T11:00:00+01:00').callCheckAt).toBe('2026-11-17T09:00:00+01:00');
  });

  it('given an answer on Friday 23 October 2026, before the clocks go back, then the check is on Tuesday 27 October at 09:00 in winter time (+01:00)', () => {
    expect(wakeUps('2026-10-23T10:00:00+02:00').callCheckAt).toBe('2026-10-27T09:00:00+01:00');
  });

  it('given an account in New York, then the days and the 09:00 are New York’s', () => {
    expect(wakeUps('2026-11-12T16:00:00-05:00', NEW_YORK).callCheckAt).toBe('2026-11-16T09:00:00-05:00');
  });

  it('given a cool-down of 0, then the check is at the start of the answer’s own business day (already past: no wait)', () => {
    expect(wakeUps('2026-11-12T10:00:00+01:00', PARIS, { ...DEFAULTS, detractorCoolDown: 0 }).callCheckAt).toBe('2026-11-12T09:00:00+01:00');
  });
});

describe('the plan review: actionPlanReviewDays calendar days after the answer, moved to the next business day, at the start of business hours', () => {
  it('given an answer on Monday 2 November 2026, then the review is on Wednesday 2 December at 09:00', () => {
    expect(wakeUps('2026-11-02T15:00:00+01:00').planReviewAt).toBe('2026-12-02T09:00:00+01:00');
  });

  it('given an answer on Thursday 12 November, then 30 days later is Saturday 12 December and the review moves to Monday 14 December', () => {
    expect(wakeUps('2026-11-12T10:00:00+01:00').planReviewAt).toBe('2026-12-14T09:00:00+01:00');
  });

  it('given an answer on Friday 23 October in summer time, then the review on Monday 23 November is at 09:00 winter time', () => {
    expect(wakeUps('2026-10-23T10:00:00+02:00').planReviewAt).toBe('2026-11-23T09:00:00+01:00');
  });

  it('given an answer on 25 November, then 30 days later is Christmas Day and the review is on 28 December (26–27 December is a weekend)', () => {
    expect(wakeUps('2026-11-25T10:00:00+01:00').planReviewAt).toBe('2026-12-28T09:00:00+01:00');
  });

  it('given a review period of 60 days from the settings, then 60 days after 2 November is New Year’s Day and the review is on Monday 4 January 2027', () => {
    expect(wakeUps('2026-11-02T15:00:00+01:00', PARIS, { ...DEFAULTS, actionPlanReviewDays: 60 }).planReviewAt).toBe('2027-01-04T09:00:00+01:00');
  });
});

describe('what the waits count from: the answer, never later than now (a vendor clock running ahead)', () => {
  const NOW = new Date('2026-11-12T10:05:00+01:00');

  it('given an answer in the past, then its own time', () => {
    expect(followUpAnchor(new Date('2026-11-12T10:00:00+01:00'), NOW).toISOString()).toBe('2026-11-12T09:00:00.000Z');
  });

  it('given an answer stamped in the future, then now', () => {
    expect(followUpAnchor(new Date('2027-02-01T10:00:00+01:00'), NOW)).toEqual(NOW);
  });

  it('given an answer stamped in the future, then the plan review comes actionPlanReviewDays after now, not after the stamp', () => {
    const schedule = detractorSchedule(followUpAnchor(new Date('2027-02-01T10:00:00+01:00'), NOW), PARIS, DEFAULTS, calendar);
    expect(formatLocalIso(schedule.planReviewAt, PARIS.timezone)).toBe('2026-12-14T09:00:00+01:00');
  });
});

describe('who calls the detractor (detractorCaller)', () => {
  it('given the default setting, then the CSM calls', () => {
    expect(detractorCaller({ detractorCaller: 'csm' })).toBe('csm');
  });

  it('given detractorCaller support, then the support queue calls', () => {
    expect(detractorCaller({ detractorCaller: 'support' })).toBe('support');
  });
});
