import type { AccountRecord } from '../../functions/contracts/index.ts';
import { addCalendarDays } from '../../functions/core/calendar/business-time.ts';
import { calendar } from './business-calendar.ts';
import { parisAccount } from './scenario.ts';

// A team of four in Paris whose product sends a roll-up per user and business day: the usage scenarios'
// account and events (test/sandbox/usage-playbooks.test.ts, usage-emails.test.ts).

export const USAGE_START = '2026-10-05T08:00:00+02:00';
export const businessDay = (day: string) => calendar.isBusinessDay(day, 'FR');

export const usageContacts: AccountRecord['contacts'] = [
  { id: 'ct-champion', email: 'champion@example.com', name: 'Alex Champion', role: 'champion' },
  { id: 'ct-ines', email: 'ines@example.com', name: 'Inès Martin', role: 'user' },
  { id: 'ct-hugo', email: 'hugo@example.com', name: 'Hugo Bernard', role: 'user' },
  { id: 'ct-lea', email: 'lea@example.com', name: 'Léa Petit', role: 'user' },
];

/** Each contact's roll-up of each business day from `from` to `to` on which `uses(contactId, day)` says they used it. */
export function rollUps(from: string, to: string, uses: (contactId: string, day: string) => boolean, features: (contactId: string, day: string) => string[] = () => []) {
  const events: object[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    if (!businessDay(day)) continue;
    for (const { id } of usageContacts) {
      if (!uses(id, day)) continue;
      const used = features(id, day);
      events.push({ at: `${day}T19:00:00+01:00`, type: 'ProductUsageRecorded', detail: { eventId: `day-${id}-${day}`, accountId: 'acc-paris', contactId: id, day, uses: 12, ...(used.length > 0 ? { features: used } : {}) } });
    }
  }
  return events;
}

/** The team's account, in a segment or none. */
export const usageAccount = (segment?: string) => parisAccount({ contacts: usageContacts, ...(segment ? { segment } : {}) });
