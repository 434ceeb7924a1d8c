import type { LedgerTable } from '../adapters/ledger-table.ts';
import { keys } from '../adapters/table.ts';

/**
 * The table's layout marker (`pk LAYOUT`), written by scripts/migrate-ledger.ts only: `migrating` from
 * before this version is deployed until every item of the earlier layout is in its partition, then
 * `partitioned`. A table that never had the earlier layout has no marker.
 */
export interface LayoutMarker {
  status: 'migrating' | 'partitioned';
  preparedAt?: string;
  migratedAt?: string;
  moved?: number;
}

/** The table seen in this layout once: this execution environment never reads the marker again. */
let inLayout = false;

/**
 * Whether the ledger is in this version's layout: not while a migration moves its items (a function
 * that read now would miss them, and one that wrote would write them twice). Read at an execution
 * environment's first call, and at every call while the table is migrating.
 */
export async function ledgerInLayout(ledger: Pick<LedgerTable, 'readItem'>): Promise<boolean> {
  if (inLayout) return true;
  const marker = await ledger.readItem<LayoutMarker>(keys.layout());
  if (marker?.status === 'migrating') return false;
  inLayout = true;
  return true;
}
