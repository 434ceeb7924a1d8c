import type { AccountRecord } from '../../contracts/index.ts';
import type { BusinessCalendar } from '../calendar/business-time.ts';

/** seed 001: the store sells in France only. */
export const STORE_COUNTRIES: readonly string[] = ['FR'];
/** seed 001: "a commandé il y a plus de deux mois". */
export const STORE_ORDER_MONTHS = 2;

/**
 * A promoter answer is a good moment to talk about the store (seed 001, NPS haut): when the account
 * is in France and has never ordered on the store, or last ordered more than two months before the
 * answer. "More than two months" is by local calendar date: answered on 15 December, an order of
 * 14 October or earlier qualifies, one of 15 October does not; a month shorter than the day is
 * clamped (answered 30 April → the boundary is 28 or 29 February).
 */
export function needsStoreCall(
  account: Pick<AccountRecord, 'country' | 'timezone' | 'lastStoreOrderAt'>,
  answeredAt: Date,
  calendar: Pick<BusinessCalendar, 'localDate'>,
): boolean {
  if (!STORE_COUNTRIES.includes(account.country.toUpperCase())) return false;
  if (account.lastStoreOrderAt === undefined) return true;
  const answerDay = calendar.localDate(answeredAt, account.timezone);
  const orderDay = calendar.localDate(new Date(account.lastStoreOrderAt), account.timezone);
  return orderDay < monthsBefore(answerDay, STORE_ORDER_MONTHS);
}

/** `YYYY-MM-DD` minus whole months, the day clamped to the length of the target month. */
export function monthsBefore(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 - months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}
