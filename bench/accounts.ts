import type { AccountRecord } from '../functions/contracts/index.ts';

/** `count` accounts in Paris, five CSMs between them, each with its champion: what the benches simulate. */
export function parisAccounts(count: number): AccountRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `acc-${i}`,
    name: `Account ${i}`,
    country: 'FR',
    timezone: 'Europe/Paris',
    language: 'fr',
    csmId: `csm-${i % 5}`,
    mrr: 500 + i,
    contacts: [{ id: `ct-${i}`, email: `contact${i}@example.com`, name: `Contact ${i}`, role: 'champion' }],
  }));
}
