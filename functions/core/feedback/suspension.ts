import { addCalendarDays } from '../calendar/business-time.ts';

/**
 * Seed 000: a client who asks to suspend within the first `months` months of billing cancels the sale
 * (record `sale-cancelled`, tell Sales). Counted in the account's local dates: billing that started on
 * 15 January makes a request on 14 April the last day inside 3 months, and 15 April the first outside.
 * Without a billing start on file there is no sale to cancel yet.
 */
export function cancelsSale(request: { kind: string; localDate: string }, billingStartedOn: string | undefined, months: number): boolean {
  if (request.kind !== 'suspension-request' || billingStartedOn === undefined) return false;
  return request.localDate >= billingStartedOn && request.localDate < addMonths(billingStartedOn, months);
}

/** `YYYY-MM-DD` + `months` calendar months; a day the target month lacks becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const total = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(total / 12);
  const targetMonth = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const first = `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-01`;
  return addCalendarDays(first, Math.min(day, lastDay) - 1);
}
