import { formatLocalIso, type BusinessCalendar, type Locality } from '../calendar/business-time.ts';
import { dueOn, nextWakeUp } from '../checks/wake-up.ts';
import type { RenewalClock } from './check.ts';

/** The renewal check's clock for one account and one `now`: its local dates, its business days, its offset. */
export function renewalClock(now: Date, where: Locality, calendar: BusinessCalendar): RenewalClock {
  return {
    now,
    today: calendar.localDate(now, where.timezone),
    day: (at) => calendar.localDate(new Date(at), where.timezone),
    dueOn: (day) => dueOn(day, where, calendar),
    wakeUpFor: (due) => nextWakeUp(due, now, where, calendar),
    local: (at) => formatLocalIso(at, where.timezone),
  };
}
