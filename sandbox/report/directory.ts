import type { Report } from './report.ts';

/**
 * Who the report's ids are, for a reader: accounts and contacts from the account records, people from
 * the stage's directory. Someone it does not know keeps their id, so nothing is hidden.
 */
export class Directory {
  private readonly accounts: ReadonlyMap<string, Report['accounts'][number]>;
  private readonly people: ReadonlyMap<string, Report['people'][number]>;

  constructor(report: Pick<Report, 'accounts' | 'people'>) {
    this.accounts = new Map(report.accounts.map((account) => [account.id, account]));
    this.people = new Map(report.people.map((person) => [person.id, person]));
  }

  /** `Salon Lumière (acc-salon-lumiere)`, or the id of an account the ledger does not hold. */
  account(accountId: string): string {
    const account = this.accounts.get(accountId);
    return account ? `${account.name} (${accountId})` : accountId;
  }

  /** `Camille Martin (csm-camille)`, or the id of someone missing from the directory. */
  person(personId: string): string {
    const person = this.people.get(personId);
    return person ? `${person.name} (${personId})` : personId;
  }

  /** The account's CSM: who answers for its alerts, e-mails and failures. */
  csmOf(accountId: string): string | undefined {
    return this.accounts.get(accountId)?.csmId;
  }

  /** `Lea Petit (ct-lea) <lea.petit@example.com>` for a contact of the account, else the address alone. */
  recipient(accountId: string, address: string): string {
    const contact = this.accounts.get(accountId)?.contacts.find((candidate) => candidate.email.toLowerCase() === address.toLowerCase());
    return contact ? `${contact.name} (${contact.id}) <${address}>` : address;
  }
}
