import { addCalendarDays, formatLocalIso, formatUtcIso, type BusinessCalendar, type Locality } from '../calendar/business-time.ts';

/**
 * When the CSM calls after a red alert (docs/playbooks.md, competitor-meeting; seed 001: "pour le lendemain
 * (pas avant)… environ 1 semaine avant l'échéance"). The call day is the later of
 * (a) the next business day after the detection: never the day the client booked the competitor, so as
 *     not to arouse suspicion, even when the competitor meeting is tomorrow;
 * (b) the business day on or before `meetingAt − callLeadDays`: about a week ahead of a distant meeting.
 * The call is at `callTime` local on that day. Days are the account's: its time zone, its country's
 * public holidays.
 */
export interface CallDayRequest {
  detectedAt: Date;
  meetingAt: Date;
  where: Locality;
  /** settings.competitorMeeting.callLeadDays (default 7): calendar days before the meeting. */
  callLeadDays: number;
  /** settings.competitorMeeting.callTime (default 09:00), local. */
  callTime: string;
}

export interface CallDay {
  /** `YYYY-MM-DD`, local to the account. */
  day: string;
  /** `callTime` on `day`, in the account's zone (DST included). */
  at: Date;
}

export function redAlertCallDay(request: CallDayRequest, calendar: BusinessCalendar): CallDay {
  const { where } = request;
  if (!Number.isSafeInteger(request.callLeadDays) || request.callLeadDays < 0) {
    throw new RangeError(`Lead days must be a non-negative integer: ${request.callLeadDays}`);
  }
  const notBefore = calendar.nextBusinessDay(calendar.localDate(request.detectedAt, where.timezone), where.country);
  // Calendar days on the local date, not 7 × 24 h on the instant: a meeting at 00:30 the week after a
  // DST change must not land one day off.
  const leadDate = addCalendarDays(calendar.localDate(request.meetingAt, where.timezone), -request.callLeadDays);
  const aWeekBefore = calendar.businessDayOnOrBefore(leadDate, where.country);
  // `YYYY-MM-DD` strings compare in date order.
  const day = aWeekBefore > notBefore ? aWeekBefore : notBefore;
  return { day, at: calendar.atLocalTime(day, request.callTime, where.timezone) };
}

/**
 * The call day of a follow-up, as both the plan (from the detection) and the re-check (from the
 * detection that opened the follow-up and the meeting's time as it is now) count it: the one place
 * where records and settings become a CallDayRequest.
 */
export function callDayOf(
  from: { detectedAt: string; meetingAt: string },
  where: Locality,
  settings: { callLeadDays: number; callTime: string },
  calendar: BusinessCalendar,
): CallDay {
  return redAlertCallDay(
    { detectedAt: new Date(from.detectedAt), meetingAt: new Date(from.meetingAt), where, callLeadDays: settings.callLeadDays, callTime: settings.callTime },
    calendar,
  );
}

/** When the follow-up calls, as the playbook carries it (`$.plan.schedule`); a re-plan replaces both together. */
export interface CallSchedule {
  /** The call instant, in the account's offset. */
  callAt: string;
  /** The same instant in UTC, for the Wait state's TimestampPath. */
  wakeAt: string;
}

export function callSchedule(callAt: Date, timezone: string): CallSchedule {
  return { callAt: formatLocalIso(callAt, timezone), wakeAt: formatUtcIso(callAt) };
}

/**
 * When the red-alert-call is due. On time, at the call instant ("due that day", docs/playbooks.md). A
 * wake-up that comes after the instant but within the same business "today" (seconds or hours late:
 * timer jitter, retries) keeps it: the call day stands. Later than that (the evening after the call
 * day, a weekend, a run reopened days after a failure), the call day is over: the call is due "today"
 * by the business calendar (closing time, the next business day after hours), never at the instant of
 * a late wake-up on a Saturday night.
 */
export function callDueAt(callAt: Date, now: Date, where: Locality, calendar: Pick<BusinessCalendar, 'dueToday'>): Date {
  if (now.getTime() <= callAt.getTime()) return callAt;
  const today = calendar.dueToday(now, where);
  return today.getTime() === calendar.dueToday(callAt, where).getTime() ? callAt : today;
}
