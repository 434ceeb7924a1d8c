import { describe, expect, it } from 'vitest';
import { addCalendarDays, formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import {
  decideUsageStart,
  reviewUsage,
  usageClock,
  type KeyContact,
  type UsageCheck,
  type UsageDecision,
} from '../../functions/core/usage/usage-check.ts';
import { usageWindow, type ActiveDay } from '../../functions/core/usage/usage.ts';
import { calendar, PARIS } from '../support/business-calendar.ts';

const SETTINGS = { accountIdleDays: 30, dropRatio: 0.75, checkInDays: 5, championIdleDays: 15, contactAlertCooldownDays: 30 };
const local = (at: Date) => formatLocalIso(at, PARIS.timezone);

/**
 * The check's loop, run on its own record: each wake-up reviews the account as its usage stood that
 * day, the decision is kept, and the next wake-up is the one the review planned. `usedOn(day)` says
 * how many users used the product on a local day; `contactsOn(day)` the key contacts' last days.
 */
function runCheck(options: {
  from: string;
  until: string;
  usedOn: (day: string) => number;
  keyContacts?: (today: string) => KeyContact[];
  touchpointAt?: string;
  highTouch?: boolean;
  settings?: Partial<typeof SETTINGS>;
}): { decisions: (UsageDecision & { on: string })[]; check: UsageCheck } {
  const settings = { ...SETTINGS, ...options.settings };
  const start = decideUsageStart('acc-paris', undefined, 'exec-1', options.from, new Date(options.from));
  if (start.action !== 'claimed') throw new Error('not claimed');
  let check = start.check;
  const decisions: (UsageDecision & { on: string })[] = [];
  while (check.status === 'live' && check.wakeAt && Date.parse(check.wakeAt) <= Date.parse(options.until)) {
    const now = new Date(check.wakeAt);
    const clock = usageClock(now, PARIS, calendar, local);
    const days: ActiveDay[] = [];
    for (let day = addCalendarDays(clock.today, -400); day <= clock.today; day = addCalendarDays(day, 1)) {
      const users = options.usedOn(day);
      if (users > 0) days.unshift({ day, users });
    }
    const touched = options.touchpointAt && Date.parse(options.touchpointAt) <= now.getTime() ? options.touchpointAt : undefined;
    const outcome = reviewUsage({
      stored: check,
      token: { holder: check.holder, generation: check.generation },
      window: usageWindow(days.slice(0, 36), clock.today, days[0]?.day, (day) => calendar.isBusinessDay(day, 'FR')),
      keyContacts: options.keyContacts?.(clock.today) ?? [],
      latestTouchpointAt: touched,
      highTouch: options.highTouch ?? false,
      settings,
      clock,
    });
    if (outcome.decision !== 'reviewed' || !outcome.check) throw new Error('the holder lost its check');
    const { decided } = outcome;
    if (decided.drop || decided.meetingCheck || decided.contacts.length > 0 || decided.closed) decisions.push({ ...decided, on: clock.today });
    check = outcome.check;
  }
  return { decisions, check };
}

// Weekdays from Monday 5 October 2026 in Paris: 4 users a business day, until the account stops.
const FROM = '2026-10-05T09:00:00+02:00';
const businessDay = (day: string) => calendar.isBusinessDay(day, 'FR');
const steady = (until: string, users = 4) => (day: string) => (day >= '2026-10-05' && day <= until && businessDay(day) ? users : 0);

describe('an account that stops using the product', () => {
  it('given steady use until Friday 6 November, then one usage-drop when it has been idle 30 days (Monday 7 December), none before, none twice', () => {
    const { decisions, check } = runCheck({ from: FROM, until: '2027-03-01T00:00:00+01:00', usedOn: steady('2026-11-06') });
    expect(decisions).toEqual([{ generation: expect.any(Number), on: '2026-12-07', drop: { id: 'idle-since-2026-11-06', kind: 'idle', idleDays: 30, highTouch: false }, contacts: [] }]);
    // Low-touch, idle, raised: nothing left to watch until the account is used again.
    expect(check.status).toBe('ended');
  });

  it('given a high-touch account idle 30 days, then the meeting check 5 business days after the drop, without a touchpoint', () => {
    const { decisions } = runCheck({ from: FROM, until: '2027-03-01T00:00:00+01:00', usedOn: steady('2026-11-06'), highTouch: true });
    expect(decisions.map(({ on, drop, meetingCheck }) => ({ on, drop: drop?.id, meetingCheck: meetingCheck?.id }))).toEqual([
      { on: '2026-12-07', drop: 'idle-since-2026-11-06', meetingCheck: undefined },
      { on: '2026-12-14', drop: undefined, meetingCheck: 'idle-since-2026-11-06' },
    ]);
  });

  it('given a touchpoint two days after the drop, then no meeting check: the goal is met', () => {
    const { decisions } = runCheck({ from: FROM, until: '2027-03-01T00:00:00+01:00', usedOn: steady('2026-11-06'), highTouch: true, touchpointAt: '2026-12-09T15:00:00+01:00' });
    expect(decisions.map(({ on, drop, meetingCheck, closed }) => ({ on, drop: drop?.id, meetingCheck: meetingCheck?.id, closed }))).toEqual([
      { on: '2026-12-07', drop: 'idle-since-2026-11-06', meetingCheck: undefined, closed: undefined },
      { on: '2026-12-14', drop: undefined, meetingCheck: undefined, closed: { id: 'idle-since-2026-11-06', why: 'touchpoint' } },
    ]);
  });
});

describe('an account whose use falls week over week', () => {
  // From Monday 16 November, 2 users a day instead of 4 (this week 50 % of the 4 weeks before).
  const falling = (day: string) => (businessDay(day) && day >= '2026-10-05' ? (day >= '2026-11-16' ? 2 : 4) : 0);

  it('given a high-touch account at half its usual use, then a drop within a week and, 5 business days later, the meeting check', () => {
    const { decisions } = runCheck({ from: FROM, until: '2026-12-20T00:00:00+01:00', usedOn: falling, highTouch: true });
    const [raised, asked] = decisions;
    expect(raised).toMatchObject({ drop: { kind: 'drop', highTouch: true } });
    expect(raised!.on >= '2026-11-17' && raised!.on <= '2026-11-23').toBe(true);
    expect(asked).toMatchObject({ meetingCheck: { id: raised!.drop!.id }, on: calendar.addBusinessDays(raised!.on, 5, 'FR') });
  });

  it('given usage back to its usual level on day 3 after the drop, then no meeting check', () => {
    const first = runCheck({ from: FROM, until: '2026-12-20T00:00:00+01:00', usedOn: falling, highTouch: true }).decisions[0]!;
    const backOn = calendar.addBusinessDays(first.on, 2, 'FR');
    const recovering = (day: string) => (day >= backOn && businessDay(day) ? 4 : falling(day));
    const { decisions } = runCheck({ from: FROM, until: '2026-12-20T00:00:00+01:00', usedOn: recovering, highTouch: true });
    expect(decisions.map(({ drop, meetingCheck, closed }) => ({ drop: drop?.id, meetingCheck: meetingCheck?.id, closed: closed?.why }))).toEqual([
      { drop: first.drop!.id, meetingCheck: undefined, closed: undefined },
      { drop: undefined, meetingCheck: undefined, closed: 'usage-resumed' },
    ]);
  });

  it('given a high-touch team of 10 that falls to 7 a day (30 % week over week), then the drop within a week and, 5 business days later, the meeting check', () => {
    const thirty = (day: string) => (businessDay(day) && day >= '2026-10-05' ? (day >= '2026-11-16' ? 7 : 10) : 0);
    const { decisions } = runCheck({ from: FROM, until: '2026-12-20T00:00:00+01:00', usedOn: thirty, highTouch: true });
    const [raised, asked] = decisions;
    expect(raised).toMatchObject({ drop: { kind: 'drop', ratio: 0.7, highTouch: true } });
    expect(raised!.on >= '2026-11-17' && raised!.on <= '2026-11-23').toBe(true);
    expect(asked).toMatchObject({ meetingCheck: { id: raised!.drop!.id }, on: calendar.addBusinessDays(raised!.on, 5, 'FR') });
    expect(decisions).toHaveLength(2);
  });

  it('given the same fall on a low-touch account, then the drop and no check-in wait', () => {
    const { decisions } = runCheck({ from: FROM, until: '2026-12-20T00:00:00+01:00', usedOn: falling });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ drop: { kind: 'drop', highTouch: false } });
  });

  it('given a team that goes from every business day to Mondays and Tuesdays only, all four of them, then one drop, not one a week: a full day is not the usual week back', () => {
    const twoDays = (day: string) => (businessDay(day) && day >= '2026-10-05' && (day < '2026-11-16' || [1, 2].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) ? 4 : 0);
    const { decisions } = runCheck({ from: FROM, until: '2027-01-31T00:00:00+01:00', usedOn: twoDays });
    expect(decisions.filter(({ drop }) => drop)).toHaveLength(1);
    expect(decisions.filter(({ closed }) => closed)).toEqual([]);
  });

  it('given a touchpoint the day after the drop and use still halved the weeks after, then no meeting check and no second drop: the CSM is on it until use comes back', () => {
    const first = runCheck({ from: FROM, until: '2026-12-20T00:00:00+01:00', usedOn: falling, highTouch: true }).decisions[0]!;
    const { decisions } = runCheck({ from: FROM, until: '2026-12-20T00:00:00+01:00', usedOn: falling, highTouch: true, touchpointAt: `${addCalendarDays(first.on, 1)}T15:00:00+01:00` });
    expect(decisions.map(({ drop, meetingCheck, closed }) => ({ drop: drop?.id, meetingCheck: meetingCheck?.id, closed: closed?.why }))).toEqual([
      { drop: first.drop!.id, meetingCheck: undefined, closed: undefined },
      { drop: undefined, meetingCheck: undefined, closed: 'touchpoint' },
    ]);
  });
});

describe('a champion who stops while others go on', () => {
  const others = steady('2027-03-01');
  const champion = (lastDay: string) => () => [{ contactId: 'ct-champion', role: 'champion' as const, lastDay }];

  it('given the champion last seen Friday 13 November and the others still using it, then one alert when 15 days idle, per segment', () => {
    for (const highTouch of [true, false]) {
      const { decisions } = runCheck({ from: FROM, until: '2027-01-31T00:00:00+01:00', usedOn: others, keyContacts: champion('2026-11-13'), highTouch });
      expect(decisions).toEqual([{ generation: expect.any(Number), next: expect.any(Object), on: '2026-11-30', contacts: [{ contactId: 'ct-champion', role: 'champion', idleDays: 16, action: highTouch ? 'task' : 'email', id: 'ct-champion-idle-since-2026-11-13' }] }]);
    }
  });

  it('given a champion who comes back and stops again within the cooldown, then the second alert waits for the cooldown to end', () => {
    // Last seen 13 November (alerted 30 November), back on 2 December, then not again.
    const lastDay = (today: string) => (today > '2026-12-02' ? '2026-12-02' : '2026-11-13');
    const { decisions } = runCheck({ from: FROM, until: '2027-01-31T00:00:00+01:00', usedOn: others, keyContacts: (today) => [{ contactId: 'ct-champion', role: 'champion', lastDay: lastDay(today) }] });
    expect(decisions.map(({ on, contacts }) => ({ on, ids: contacts.map(({ id }) => id) }))).toEqual([
      { on: '2026-11-30', ids: ['ct-champion-idle-since-2026-11-13'] },
      { on: '2026-12-30', ids: ['ct-champion-idle-since-2026-12-02'] },
    ]);
  });

  it('given the whole account stops with its champion, then the account drop covers it: no champion alert', () => {
    const { decisions } = runCheck({ from: FROM, until: '2027-01-31T00:00:00+01:00', usedOn: steady('2026-11-13'), keyContacts: champion('2026-11-13') });
    expect(decisions.flatMap(({ contacts }) => contacts)).toEqual([]);
    expect(decisions.map(({ drop }) => drop?.kind)).toEqual(['idle']);
  });
});

describe('the check is held once', () => {
  it('given a live check, then a second start changes nothing; an ended one is resumed with what it raised', () => {
    const { check } = runCheck({ from: FROM, until: '2027-03-01T00:00:00+01:00', usedOn: steady('2026-11-06') });
    expect(check).toMatchObject({ status: 'ended', lastDropId: 'idle-since-2026-11-06' });
    const resumed = decideUsageStart('acc-paris', check, 'exec-2', '2027-03-02T09:00:00+01:00', new Date('2027-03-02T08:00:00+01:00'));
    expect(resumed).toMatchObject({ action: 'claimed', check: { holder: 'exec-2', generation: 0, status: 'live', lastDropId: 'idle-since-2026-11-06' } });
    if (resumed.action !== 'claimed') return;
    expect(decideUsageStart('acc-paris', resumed.check, 'exec-3', '2027-03-02T09:00:00+01:00', new Date('2027-03-02T08:00:00+01:00'))).toEqual({ action: 'unchanged', why: 'live' });
  });
});
