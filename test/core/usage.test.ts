import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../functions/core/calendar/business-time.ts';
import { accountDrop, daysToForget, newsOf, usageWindow, USAGE_WINDOW_DAYS, type ActiveDay } from '../../functions/core/usage/usage.ts';
import { calendar } from '../support/business-calendar.ts';

const WELCOME_BACK_AFTER = 30;

describe('what one use of the product tells', () => {
  it('given a contact never seen, then it is their first use, and the first of the day, and every feature is new', () => {
    expect(newsOf(undefined, { day: '2026-11-16', features: ['agenda', 'sms', 'agenda'] }, WELCOME_BACK_AFTER)).toEqual({ firstUse: true, firstUseOfDay: true, newFeatures: ['agenda', 'sms'] });
  });

  it('given a use on a day already counted (a second use, a redelivery), then it tells nothing new', () => {
    const before = { days: ['2026-11-16'], features: ['agenda'] };
    expect(newsOf(before, { day: '2026-11-16', features: ['agenda'] }, WELCOME_BACK_AFTER)).toEqual({ firstUse: false, firstUseOfDay: false, newFeatures: [] });
  });

  it('given a feature the contact never used, then that feature is new, once', () => {
    const before = { days: ['2026-11-16'], features: ['agenda'] };
    expect(newsOf(before, { day: '2026-11-17', features: ['agenda', 'stock'] }, WELCOME_BACK_AFTER).newFeatures).toEqual(['stock']);
  });

  it('given a contact back after 30 days without use, then they returned after 30 days; after 29, they did not', () => {
    const lastUsedOn = (day: string) => ({ days: [day], features: [] });
    // Used on 1 October, then not on 2 October … 31 October (30 days), back on 1 November.
    expect(newsOf(lastUsedOn('2026-10-01'), { day: '2026-11-01', features: [] }, WELCOME_BACK_AFTER).returnedAfterDays).toBe(30);
    expect(newsOf(lastUsedOn('2026-10-02'), { day: '2026-11-01', features: [] }, WELCOME_BACK_AFTER)).not.toHaveProperty('returnedAfterDays');
  });

  it('given a use older than the contact’s latest day (delivered out of order), then it is no return', () => {
    const before = { days: ['2026-11-16'], features: [] };
    expect(newsOf(before, { day: '2026-09-01', features: [] }, WELCOME_BACK_AFTER)).toEqual({ firstUse: false, firstUseOfDay: true, newFeatures: [] });
  });

  it('given a use, then the days it lets the ledger forget start 35 days before it, and never include it', () => {
    const forgotten = daysToForget('2026-11-16');
    expect(forgotten[0]).toBe('2026-10-12');
    expect(forgotten).toHaveLength(2 * USAGE_WINDOW_DAYS);
    expect(forgotten).not.toContain('2026-11-16');
    expect(forgotten).not.toContain('2026-10-13');
  });
});

describe('what an account’s recent days say', () => {
  // Four usual weeks (10 user-days a week, over 5 days), then this week.
  const usualWeeks = (): ActiveDay[] =>
    ['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09'].flatMap((monday) => [0, 1, 2, 3, 4].map((d) => ({ day: addCalendarDays(monday, d), users: 2 })));
  const TODAY = '2026-11-23';

  it('given an account last used 31 days ago, then it is idle 30 days: the account drop for idleness', () => {
    const window = usageWindow([{ day: '2026-10-23', users: 3 }], TODAY);
    expect(window).toMatchObject({ lastActiveDay: '2026-10-23', idleDays: 30 });
    expect(accountDrop(window, { accountIdleDays: 30, dropRatio: 0.75 })).toEqual({ kind: 'idle', idleDays: 30 });
    // A day later (29 idle days) it is not idle yet, and a week without any use is no fall: it is the
    // idle spell, which the idle rule counts, so one episode is never raised twice.
    expect(accountDrop(usageWindow([{ day: '2026-10-24', users: 3 }], TODAY), { accountIdleDays: 30, dropRatio: 0.75 })).toBeUndefined();
  });

  it('given an account idle longer than the days kept, then its last active day on record still says since when', () => {
    expect(usageWindow([], TODAY, '2026-06-01')).toMatchObject({ lastActiveDay: '2026-06-01', idleDays: 174 });
  });

  it('given this week 30 % under the 4 weeks before (7 user-days against 10), then the account drop for a fall', () => {
    const thisWeek = [16, 17, 18].map((d, i) => ({ day: `2026-11-${d}`, users: [3, 2, 2][i]! }));
    const window = usageWindow([...usualWeeks(), ...thisWeek], TODAY);
    expect(window.thisWeek).toEqual({ activeDays: 3, userDays: 7 });
    expect(window.fourWeekAverage).toEqual({ activeDays: 5, userDays: 10 });
    expect(accountDrop(window, { accountIdleDays: 30, dropRatio: 0.75 })).toEqual({ kind: 'drop', ratio: 0.7 });
  });

  it('given this week at 80 % of the average, then no drop (the ratio is 0.75)', () => {
    const thisWeek = [16, 17, 18, 19].map((d) => ({ day: `2026-11-${d}`, users: 2 }));
    expect(accountDrop(usageWindow([...usualWeeks(), ...thisWeek], TODAY), { accountIdleDays: 30, dropRatio: 0.75 })).toBeUndefined();
  });

  it('given an account new to the product (no usual week yet), then no drop whatever this week', () => {
    expect(accountDrop(usageWindow([{ day: '2026-11-20', users: 1 }], TODAY), { accountIdleDays: 30, dropRatio: 0.75 })).toBeUndefined();
  });
});

describe('a week with a public holiday', () => {
  it('given the usual 4 users a business day and a week of four business days (Wednesday 11 November is a holiday in France), then no fall: weeks compare per business day', () => {
    const isBusinessDay = (day: string) => calendar.isBusinessDay(day, 'FR');
    const used: ActiveDay[] = [];
    for (let day = '2026-10-12'; day <= '2026-11-15'; day = addCalendarDays(day, 1)) if (isBusinessDay(day)) used.push({ day, users: 4 });
    const withCalendar = usageWindow(used, '2026-11-16', undefined, isBusinessDay);
    expect(withCalendar.thisWeek).toEqual({ activeDays: 4, userDays: 16, businessDays: 4 });
    expect(accountDrop(withCalendar, { accountIdleDays: 30, dropRatio: 0.85 })).toBeUndefined();
    // Counted in calendar weeks only, the same week looks like a fall of 20 %.
    expect(accountDrop(usageWindow(used, '2026-11-16'), { accountIdleDays: 30, dropRatio: 0.85 })).toEqual({ kind: 'drop', ratio: 0.8 });
  });
});
