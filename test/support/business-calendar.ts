import { createBusinessCalendar, formatLocalIso, type Locality } from '../../functions/core/calendar/business-time.ts';
import { buildHolidayTable } from '../../lib/calendar/public-holidays.ts';

// Real data from date-holidays, built once the way the deployment builds it.
export const holidays = buildHolidayTable(['FR', 'US', 'DE', 'IN'], 2025, 2027);
export const calendar = createBusinessCalendar(holidays, { start: '09:00', end: '18:00' });

export const PARIS: Locality = { timezone: 'Europe/Paris', country: 'FR' };
export const NEW_YORK: Locality = { timezone: 'America/New_York', country: 'US' };
export const KOLKATA: Locality = { timezone: 'Asia/Kolkata', country: 'IN' };
export const BRUSSELS_NOT_IN_TABLE: Locality = { timezone: 'Europe/Brussels', country: 'BE' };

/** When is a task "for today", created at this instant, due? Read back in the account's zone. */
export function dueTodayLocal(createdAt: string, where: Locality): string {
  return formatLocalIso(calendar.dueToday(new Date(createdAt), where), where.timezone);
}
