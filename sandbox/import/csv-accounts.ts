import { CsvError, parse } from 'csv-parse/sync';
import { ContactRole } from '../../functions/contracts/index.ts';
import { CliError } from '../commands/command.ts';
import { ROW_FIELDS } from './check-rows.ts';
import { contractPath, lineNumbers, type ImportRow, type RowProblem } from './rows.ts';

/**
 * An accounts CSV: a header of account-record field names (`id,name,country,timezone,language,csmId,
 * mrr,…`, and `updatedAt` if wanted), one account per line. Contacts take columns named for their role,
 * `<role>.<id|name|email>`, and `<role>.<n>.<id|name|email>` for a second or third contact of a role
 * (`champion.email`, `user.2.email`): the record's `contacts` is built from the groups that have a value.
 * Comma- or semicolon-separated (as a spreadsheet in a French locale saves), quoted as RFC 4180 says,
 * UTF-8 with or without a byte-order mark. An empty cell is an absent field.
 */

const CONTACT_COLUMN = new RegExp(`^(${ContactRole.options.join('|')})(?:\\.([1-9]\\d?))?\\.(id|name|email)$`);
/** Columns not text: read as the contract's number or boolean, or named as wrong. */
const NUMBERS = ['mrr', 'arr'];
const BOOLEANS = ['npsSurveysSuppressed'];

type Column = { field: string } | { contact: string; part: 'id' | 'name' | 'email' };

export function readCsvAccounts(text: string, file: string): ImportRow[] {
  const bytes = Buffer.from(text, 'utf8');
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info`, each record comes with where it ends (`info.bytes`): what its line number is computed from.
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, delimiter: delimiterOf(text) }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) throw new CliError(`${file}:${(error as CsvError & { lines?: number }).lines ?? 1}: not valid CSV: ${error.message.replace(/ (at|on) line \d+$/, '')}`);
    throw error;
  }
  const [header] = records;
  if (!header) throw new CliError(`${file} is empty: it needs a header line of account fields (README.md, "Importing accounts")`);
  const columns = readHeader(header.record, file);
  const lineAt = lineNumbers((offset) => bytes[offset]);
  let end = header.info.bytes;
  return records.slice(1).flatMap(({ record, info }) => {
    // A record starts past the previous one's end (csv-parse's `info.bytes`), its line break and blank lines.
    let start = end;
    while (bytes[start] === 0x0a || bytes[start] === 0x0d) start++;
    const line = lineAt(start);
    end = info.bytes;
    if (record.every((cell) => cell.trim() === '')) return [];
    return [accountRow(record, columns, `${file}:${line}`)];
  });
}

/** `;` when the header has semicolons and no comma (a spreadsheet saved in a locale whose decimal mark is the comma). */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

function readHeader(cells: readonly string[], file: string): Column[] {
  const seen = new Set<string>();
  return cells.map((cell) => {
    const name = cell.trim();
    if (seen.has(name)) throw new CliError(`${file}:1: column "${name}" appears twice`);
    seen.add(name);
    const contact = CONTACT_COLUMN.exec(name);
    if (contact) return { contact: contact[2] && contact[2] !== '1' ? `${contact[1]}.${contact[2]}` : contact[1]!, part: contact[3] as 'id' | 'name' | 'email' };
    if (ROW_FIELDS.includes(name) && name !== 'contacts') return { field: name };
    throw new CliError(
      `${file}:1: unknown column "${name}": the columns are the account record's fields (${ROW_FIELDS.filter((field) => field !== 'contacts').join(', ')}) and contacts as <role>.<id|name|email> (roles ${ContactRole.options.join(', ')}; <role>.2.email for a second one)`,
    );
  });
}

function accountRow(cells: readonly string[], columns: readonly Column[], place: string): ImportRow {
  const candidate: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  const contacts = new Map<string, Record<string, string>>();
  if (cells.length !== columns.length) problems.push({ path: [], reason: `the line has ${cells.length} cells where the header has ${columns.length}: a missing or extra separator?` });
  columns.forEach((column, i) => {
    const value = (cells[i] ?? '').trim();
    if (value === '') return;
    if ('contact' in column) contacts.set(column.contact, { ...contacts.get(column.contact), [column.part]: value });
    else if (NUMBERS.includes(column.field)) {
      if (/^\d+(\.\d+)?$/.test(value)) candidate[column.field] = Number(value);
      else problems.push({ path: [column.field], reason: 'expected an amount (digits, a dot before decimals)' });
    } else if (BOOLEANS.includes(column.field)) {
      if (value === 'true' || value === 'false') candidate[column.field] = value === 'true';
      else problems.push({ path: [column.field], reason: 'expected true or false' });
    } else candidate[column.field] = value;
  });
  const groups = [...contacts.keys()];
  candidate.contacts = groups.map((group) => ({ ...contacts.get(group), role: group.split('.')[0] }));
  return {
    place,
    candidate,
    problems,
    notes: [],
    // contacts[i] is the i-th group with a value: named by its columns' prefix.
    name: (path) => (path[0] === 'contacts' && typeof path[1] === 'number' ? [groups[path[1]] ?? 'contacts', ...path.slice(2).map(String)].join('.') : contractPath(path)),
  };
}
