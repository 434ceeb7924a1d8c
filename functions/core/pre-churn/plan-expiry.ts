import { addCalendarDays, type BusinessCalendar } from '../calendar/business-time.ts';

/**
 * seed 001: "sur le contact il faut obligatoirement ajouter le PLAN EXPIRATION DATE dans une date
 * future (le lendemain) pour que SF churn le compte lors de sa mise à jour dans la nuit". Tomorrow is
 * the account's: at 23:30 UTC it is already tomorrow in Paris, and still today in New York.
 */
export function planExpiresOn(lostAt: Date, timezone: string, calendar: Pick<BusinessCalendar, 'localDate'>): string {
  return addCalendarDays(calendar.localDate(lostAt, timezone), 1);
}
