import type { CheckedRow } from './check-rows.ts';
import type { Delivery } from './deliver.ts';

/**
 * What `playbooks import` prints: one line per reason a row is refused (its place, the field as the
 * source names it, why), one per note (what was left out of a row that is sent), then the summary. A
 * refused or unsent row is never silent: rows an import that stopped never sent are counted, and the
 * reason it stopped follows (sandbox/import/run.ts).
 */
export function importReport(checked: readonly CheckedRow[], deliveries: readonly (Delivery | undefined)[], outcome: 'dry-run' | 'sent' | 'stopped'): { lines: string[]; clean: boolean } {
  const dryRun = outcome === 'dry-run';
  const lines: string[] = [];
  const counts = { sent: 0, unchanged: 0, refused: 0, failed: 0, valid: 0, unsent: 0 };
  checked.forEach((entry, i) => {
    const place = entry.row.place;
    lines.push(...entry.row.notes.map((note) => `${place}: note: ${note}`));
    if ('refusals' in entry) {
      counts.refused++;
      lines.push(...entry.refusals.map((reason) => `${place}: ${reason}`));
      return;
    }
    counts.valid++;
    const delivery = deliveries[i];
    if (!delivery) {
      if (!dryRun) counts.unsent++;
      return;
    }
    if (delivery.status === 'refused') lines.push(...delivery.reasons.map((reason) => `${place}: refused by the endpoint: ${reason}`));
    if (delivery.status === 'failed') lines.push(`${place}: ${delivery.reason}`);
    counts[delivery.status]++;
  });
  const total = `${checked.length} account${checked.length === 1 ? '' : 's'}`;
  if (dryRun) {
    lines.push(`${total} checked (dry run, nothing sent): ${counts.valid} would be sent, ${counts.refused} refused`);
    return { lines, clean: counts.refused === 0 };
  }
  const failed = counts.failed > 0 ? `, ${counts.failed} not sent (run the import again)` : '';
  const unsent = counts.unsent > 0 ? `, ${counts.unsent} not sent (the import stopped${outcome === 'stopped' ? ': see below' : ''})` : '';
  lines.push(`${total}: ${counts.sent} sent, ${counts.unchanged} unchanged (already accepted), ${counts.refused} refused${failed}${unsent}`);
  return { lines, clean: counts.refused === 0 && counts.failed === 0 && counts.unsent === 0 };
}
