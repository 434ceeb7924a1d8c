import { ContractError, type AccountRecord, type Settings } from '../../contracts/index.ts';

/**
 * Invariant 4 needs the account country's public holidays. A country the stage's calendar does
 * not list would silently count holidays as business days, so the account is refused at sync,
 * saying which setting to extend.
 */
export function assertCalendarCovers(account: Pick<AccountRecord, 'id' | 'country'>, calendar: Settings['calendar']): void {
  if (!calendar.countries.includes(account.country)) {
    throw new ContractError(`account ${account.id}`, [
      `country: ${account.country} is not in settings.calendar.countries (${calendar.countries.join(', ')}); add it to the stage's settings to schedule in its business days`,
    ]);
  }
}
