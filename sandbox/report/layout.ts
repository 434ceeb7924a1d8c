import wrapAnsi from 'wrap-ansi';

/** The width the report is laid out for: a terminal's usual 100 columns. */
export const REPORT_WIDTH = 100;

/**
 * An instant as the report prints it: ISO-8601 in the offset it was given in (the account's), the
 * seconds left out when they are zero: `2026-11-10T18:00+01:00`.
 */
export function readableTime(iso: string): string {
  return iso.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}):00(?:\.0+)?(?=Z|[+-]\d{2}:\d{2}$)/, '$1');
}

/**
 * `text` wrapped to the report's width, each line indented by `indent` spaces (its own line breaks
 * kept). A word longer than a line (a proof's URL) is left whole, so that it can still be copied.
 */
export function indented(text: string, indent: number): string[] {
  const margin = ' '.repeat(indent);
  return wrapAnsi(text, REPORT_WIDTH - indent).split('\n').map((line) => (line ? `${margin}${line}` : ''));
}

/** A section's heading: its title and count, underlined. */
export function heading(title: string): string[] {
  return [title, '-'.repeat(title.length)];
}

/**
 * Rows laid out in columns: the first left-aligned, the others (counts) right-aligned under their
 * header. `header` starts with the first column's title (often empty).
 */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  return cells.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
}

/** Stable sort by instant (the order given breaks ties): what every section of the report is in. */
export function byInstant<T>(rows: readonly T[], instant: (row: T) => string): T[] {
  return rows
    .map((row, index) => ({ row, index, at: Date.parse(instant(row)) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ row }) => row);
}
