/**
 * One account as a source gave it (a CSV line, a JSON element, a HubSpot company), before the
 * contract: what the import checks, reports on and sends. Each source names its rows and their fields
 * in its own terms, so a refusal points where the user fixes it.
 */
export interface ImportRow {
  /** Where the row is, as the report names it: `accounts.csv:12`, `HubSpot company 8437563`. */
  readonly place: string;
  /** The account record as read (plus `updatedAt` when the source gives one), not yet validated. */
  readonly candidate: Readonly<Record<string, unknown>>;
  /** What reading it already found wrong (a HubSpot value that means nothing): the field (empty: the row) and why. */
  readonly problems: readonly RowProblem[];
  /** What was left out without refusing the row, one line each (a HubSpot contact without an e-mail). */
  readonly notes: readonly string[];
  /** A contract path (`['contacts', 0, 'email']`) as this source names it (`champion.email`, `contact 901 email`). */
  name(path: readonly PropertyKey[]): string;
}

export interface RowProblem {
  readonly path: readonly PropertyKey[];
  readonly reason: string;
}

/** `<field as the row names it>: <reason>`, or the reason alone for the row as a whole. */
export const describeProblem = (row: ImportRow, { path, reason }: RowProblem): string => (path.length > 0 ? `${row.name(path)}: ${reason}` : reason);

/** `contacts[0].email`: the path style of every error the project prints. */
export function contractPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/**
 * The line number of each offset into a text, offsets asked in increasing order, so the text is counted
 * through once (`codeAt`: its UTF-8 bytes or UTF-16 code units; a line feed is 10 in both).
 */
export function lineNumbers(codeAt: (offset: number) => number | undefined): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset; at++) if (codeAt(at) === 10) line++;
    return line;
  };
}
