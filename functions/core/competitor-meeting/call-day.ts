import type { BusinessCalendar, Locality } from '../calendar/business-time.ts';

/**
 * When the CSM calls after a red alert (PLAYBOOKS.md, competitor-meeting; seed 001: "pour le lendemain
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
  const notBefore = calendar.nextBusinessDay(calendar.localDate(request.detectedAt, where.timezone), where.country);
  // Calendar days on the local date, not 7 × 24 h on the instant: a meeting at 00:30 the week after a
  // DST change must not land one day off.
  const leadDate = minusCalendarDays(calendar.localDate(request.meetingAt, where.timezone), request.callLeadDays);
  const aWeekBefore = calendar.businessDayOnOrBefore(leadDate, where.country);
  // `YYYY-MM-DD` strings compare in date order.
  const day = aWeekBefore > notBefore ? aWeekBefore : notBefore;
  return { day, at: calendar.atLocalTime(day, request.callTime, where.timezone) };
}

function minusCalendarDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`Lead days must be a non-negative integer: ${days}`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day) - days * 86_400_000).toISOString().slice(0, 10);
}
