import { describe, expect, it } from 'vitest';
import { formatLocalIso, type Locality } from '../../functions/core/calendar/business-time.ts';
import { listedAt, reminderHandOverName, reminderSlot } from '../../functions/core/alerts/reminder.ts';
import { calendar, NEW_YORK, PARIS } from '../support/business-calendar.ts';

// The 17:00 reminder of the alert channel: the first business day whose reminderTime (local) is at
// least 15 minutes ahead, so that the alert its own event raises is in the list.

/** The slot planned at `now`, read back in the account's zone. */
function slotAt(now: string, where: Locality = PARIS, options: { reminderTime?: string; after?: string } = {}): string {
  const slot = reminderSlot({ now: new Date(now), where, reminderTime: options.reminderTime ?? '17:00', after: options.after }, calendar);
  const local = formatLocalIso(slot.at, where.timezone);
  expect(local.slice(0, 10)).toBe(slot.day);
  return local;
}

describe('the reminder slot: the first business day whose reminderTime local is at least 15 minutes ahead', () => {
  it('given an alert on Tuesday 10:00 in Paris, then the reminder is that Tuesday at 17:00', () => {
    expect(slotAt('2026-11-10T10:00:00+01:00')).toBe('2026-11-10T17:00:00+01:00');
  });

  it('given an alert on Tuesday at 16:45 exactly, then 17:00 is still 15 minutes ahead: that Tuesday', () => {
    expect(slotAt('2026-11-17T16:45:00+01:00')).toBe('2026-11-17T17:00:00+01:00');
  });

  it('given an alert on Tuesday at 16:50, then 17:00 is too close to list it for sure: the next business day', () => {
    expect(slotAt('2026-11-17T16:50:00+01:00')).toBe('2026-11-18T17:00:00+01:00');
  });

  it('given an alert on Friday at 17:30, then the reminder is on Monday at 17:00, never on the weekend', () => {
    expect(slotAt('2026-11-13T17:30:00+01:00')).toBe('2026-11-16T17:00:00+01:00');
  });

  it('given an alert on Saturday morning, then the reminder is on Monday at 17:00', () => {
    expect(slotAt('2026-11-14T09:00:00+01:00')).toBe('2026-11-16T17:00:00+01:00');
  });

  it('given an alert on Tuesday 10 November at 16:50 and the 11th a public holiday in France, then the reminder is on Thursday the 12th', () => {
    expect(slotAt('2026-11-10T16:50:00+01:00')).toBe('2026-11-12T17:00:00+01:00');
  });

  it('given an alert on the holiday itself (11 November, 10:00), then the reminder is on the 12th', () => {
    expect(slotAt('2026-11-11T10:00:00+01:00')).toBe('2026-11-12T17:00:00+01:00');
  });

  it('given an alert on Friday 23 October at 17:30 summer time and the clocks going back on the Sunday, then Monday 17:00 winter time', () => {
    expect(slotAt('2026-10-23T17:30:00+02:00')).toBe('2026-10-26T17:00:00+01:00');
  });

  it('given an account in New York and an alert at 10:00 there (16:00 in Paris), then the reminder is at 17:00 New York time', () => {
    expect(slotAt('2026-11-10T10:00:00-05:00', NEW_YORK)).toBe('2026-11-10T17:00:00-05:00');
  });

  it('given an account in New York and an alert on the eve of Thanksgiving at 17:30, then the reminder skips Thanksgiving: Friday 17:00', () => {
    expect(slotAt('2026-11-25T17:30:00-05:00', NEW_YORK)).toBe('2026-11-27T17:00:00-05:00');
  });

  it('given an alert late on Monday evening UTC that is already Tuesday in Paris, then the day is the Paris date', () => {
    expect(slotAt('2026-11-16T23:30:00Z')).toBe('2026-11-17T17:00:00+01:00');
  });

  it('given reminderTime 16:30, then the reminder is at 16:30', () => {
    expect(slotAt('2026-11-10T10:00:00+01:00', PARIS, { reminderTime: '16:30' })).toBe('2026-11-10T16:30:00+01:00');
  });
});

describe('the slot after a reminder (the hand-over to the next day)', () => {
  it('given Tuesday’s reminder posted at 17:00 and alerts still open, then the next one is Wednesday 17:00', () => {
    expect(slotAt('2026-11-17T17:00:00+01:00', PARIS, { after: '2026-11-17' })).toBe('2026-11-18T17:00:00+01:00');
  });

  it('given the hand-over runs late (hours of retries), then the next reminder is still the day after the one reminded', () => {
    expect(slotAt('2026-11-17T19:30:00+01:00', PARIS, { after: '2026-11-17' })).toBe('2026-11-18T17:00:00+01:00');
  });

  it('given a reminder on Tuesday 10 November, then the next one skips the holiday of the 11th: Thursday', () => {
    expect(slotAt('2026-11-10T17:00:05+01:00', PARIS, { after: '2026-11-10' })).toBe('2026-11-12T17:00:00+01:00');
  });

  it('given a reminder on Friday, then the next one is on Monday', () => {
    expect(slotAt('2026-11-13T17:00:00+01:00', PARIS, { after: '2026-11-13' })).toBe('2026-11-16T17:00:00+01:00');
  });
});

describe('which open alerts a reminder lists', () => {
  const remindAt = '2026-11-17T17:00:00+01:00';

  it('given an alert raised before 17:00, or at 17:00 exactly, then it is listed', () => {
    expect(listedAt({ raisedAt: '2026-11-17T10:00:00+01:00' }, remindAt)).toBe(true);
    expect(listedAt({ raisedAt: '2026-11-17T16:00:00Z' }, remindAt)).toBe(true);
  });

  it('given an alert raised after 17:00 (the reminder ran late), then it waits for the next reminder', () => {
    expect(listedAt({ raisedAt: '2026-11-17T17:05:00+01:00' }, remindAt)).toBe(false);
  });
});

describe('the name of the execution a reminder is handed over to', () => {
  it('given an account and a day, then the same name every time: a retried hand-over starts nothing twice', () => {
    expect(reminderHandOverName('acc-paris', '2026-11-17')).toBe(reminderHandOverName('acc-paris', '2026-11-17'));
    expect(reminderHandOverName('acc-paris', '2026-11-17')).toMatch(/^rem-acc-paris-[0-9a-f]{8}-2026-11-17$/);
    expect(reminderHandOverName('acc-paris', '2026-11-18')).not.toBe(reminderHandOverName('acc-paris', '2026-11-17'));
  });

  it('given two account ids that read the same once cleaned, then two names', () => {
    expect(reminderHandOverName('acc.1', '2026-11-17')).not.toBe(reminderHandOverName('acc-1', '2026-11-17'));
  });

  it('given a long account id with characters Step Functions refuses, then a valid name of at most 80 characters', () => {
    const name = reminderHandOverName(`salon/${'x'.repeat(120)} é#1`, '2026-11-17');
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});
