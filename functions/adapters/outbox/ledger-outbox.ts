import type { Ledger } from '../ledger.ts';
import { keys } from '../table.ts';
import { UPSERTED, type OutboxEntry, type OutboxStore } from './outbox.ts';

/**
 * The outbox kept in the ledger, under each entry's account (`OUTBOX#<kind>#<key>`): what a stage
 * without a vendor configured, and the sandbox, record instead of calling it. Durable, so an e-mail or
 * an alert "sent" to the outbox on Lambda is still there for the report and for an audit.
 */
export class LedgerOutbox implements OutboxStore {
  constructor(private readonly ledger: Ledger) {}

  async put(entry: OutboxEntry): Promise<{ created: boolean; entry: OutboxEntry }> {
    const { created, item } = await this.ledger.putOutboxEntry(entry, UPSERTED.has(entry.kind));
    return { created, entry: item };
  }

  get(key: Pick<OutboxEntry, 'kind' | 'accountId' | 'idempotencyKey'>): Promise<OutboxEntry | undefined> {
    return this.ledger.readItem<OutboxEntry>(keys.outbox(key.accountId, key.kind, key.idempotencyKey));
  }

  /** A full scan: for the sandbox's report, never on a Lambda's path. */
  list(): Promise<readonly OutboxEntry[]> {
    return this.ledger.scan<OutboxEntry>('outbox');
  }
}
