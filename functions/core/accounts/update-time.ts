/**
 * How far ahead of our clock a sender's time may be and still be its clock's error: five minutes.
 *
 * Clocks differ. Ours are AWS's (NTP, within milliseconds of each other), a CRM's or a product server's
 * may drift by seconds, and a CRM stamps a change when its own server saw it, before the webhook leaves.
 * So a time slightly after ours is not wrong, and it is kept as written: it is what orders two updates
 * of the same minute. The webhooks' signatures already allow five minutes between the sender's clock
 * and ours (Standard Webhooks, HubSpot v3, Slack and Zendesk refuse a request stamped further off), so
 * a sender further ahead cannot deliver at all: the same five minutes here trust no clock more than
 * the signatures do. A time beyond them did not happen yet (a year typed 2999, microseconds read as
 * milliseconds): taken as it is, it would win over every later update of the same fields, for ever.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Whether `at` is later than `now` by more than a clock's skew: a time that has not come yet. */
export function isAheadOfClock(at: string | number, now: Date | number): boolean {
  const time = typeof at === 'number' ? at : Date.parse(at);
  return time > new Date(now).getTime() + MAX_CLOCK_SKEW_MS;
}

/** What a fact ahead of the clock is merged as of: when it arrived, and that it was moved there. */
export interface MergeTime {
  at: string;
  /** The fact's own time was ahead of the clock, and replaced by its arrival. */
  movedToArrival: boolean;
}

/**
 * The time an account fact is merged as of (newest wins, field by field): its own time; or, when that
 * time is ahead of its arrival by more than a clock's skew, its arrival. Its arrival is the event's
 * time on the bus, or `now` if that is earlier (a replayed or redriven event keeps its first time).
 * Moved there, the fact applies as of when it reached us, and every update after it still wins over
 * it; the ingest refuses such a time at the door, so this is for what reaches the bus another way (a
 * replay of the archive, a rehearsal's scenario, an execution that started before the door refused).
 */
export function mergeTime(at: string, eventTime: string, now: Date): MergeTime {
  const arrival = Math.min(Date.parse(eventTime), now.getTime());
  if (!isAheadOfClock(at, arrival)) return { at, movedToArrival: false };
  return { at: new Date(arrival).toISOString(), movedToArrival: true };
}

/**
 * Why the ingest refuses a time ahead of its clock (400, naming the field): what the sender reads. A
 * change cannot have been made after the request reached us; the sender's clock, or its date, is wrong.
 */
export const AHEAD_OF_CLOCK = `ahead of our clock by more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes: a change cannot be made after it reached us (check the sender's clock, or the year)`;
