import { createHash } from 'node:crypto';
import { AccountRecord, ContractError, DetailSchemas, type DetailOf, type Settings } from '../../functions/contracts/index.ts';
import { z } from '../../functions/contracts/zod.ts';
import { assertCalendarCovers } from '../../functions/core/accounts/calendar-coverage.ts';
import { AHEAD_OF_CLOCK, isAheadOfClock } from '../../functions/core/accounts/update-time.ts';
import { describeProblem, type ImportRow, type RowProblem } from './rows.ts';

/**
 * What the events endpoint would make of each row, decided before anything is sent: the account
 * record's contract (complete: a new account needs every required field), the `AccountUpdated` detail
 * the endpoint validates (an `updatedAt` ahead of `now` included: the endpoint refuses it), and the
 * stage's calendar countries, which account-sync checks only after the
 * endpoint accepted (an execution failing, an alarm for ops). A row passing all three becomes the
 * message the endpoint receives; the others are refused with every reason, named in the source's terms.
 */

/** Fields a row may carry: the account record's, and `updatedAt` (when the source last changed it). */
export const ROW_FIELDS: readonly string[] = [...Object.keys(AccountRecord.shape), 'updatedAt'];

const UpdatedAt = z.object({ updatedAt: z.optional(DetailSchemas.AccountUpdated.shape.updatedAt) });

export type AccountUpdatedDetail = DetailOf<'AccountUpdated'>;

export type CheckedRow =
  | { readonly row: ImportRow; readonly refusals: readonly string[] }
  | {
      readonly row: ImportRow;
      /**
       * The detail sent, its `eventId` (also the message's `webhook-id`) derived from the account it
       * carries (not `updatedAt`: the same account is the same news, whenever the CRM last touched it):
       * the same row sent again is the same delivery (the endpoint publishes nothing new), a changed
       * row a new one.
       */
      readonly detail: AccountUpdatedDetail;
    };

export function checkRows(rows: readonly ImportRow[], settings: Settings, now: Date): CheckedRow[] {
  const sharedIds = placesById(rows);
  return rows.map((row) => {
    const problems: RowProblem[] = [...row.problems, ...unknownFields(row), ...sharedId(row, sharedIds)];
    // A field the source already said is wrong (a cell that is not a number) is not said wrong twice.
    const said = new Set(row.problems.map((problem) => problem.path[0]));
    const { updatedAt, ...candidate } = row.candidate;
    const record = AccountRecord.safeParse(candidate);
    const time = UpdatedAt.safeParse({ updatedAt });
    for (const issue of [...(record.error?.issues ?? []), ...(time.error?.issues ?? [])]) {
      if (!said.has(issue.path[0])) problems.push({ path: issue.path, reason: issue.message });
    }
    if (time.data?.updatedAt !== undefined && isAheadOfClock(time.data.updatedAt, now)) problems.push({ path: ['updatedAt'], reason: AHEAD_OF_CLOCK });
    if (problems.length > 0 || !record.success || !time.success) return { row, refusals: problems.map((problem) => describeProblem(row, problem)) };

    try {
      assertCalendarCovers(record.data, settings.calendar);
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      return { row, refusals: error.problems.map((problem) => describeProblem(row, { path: ['country'], reason: problem.replace(/^country: /, '') })) };
    }
    const { id, ...fields } = record.data;
    // zod's output follows the schema's key order, whatever the source's: the same content, the same text.
    const eventId = `import-${createHash('sha256').update(JSON.stringify(record.data)).digest('hex').slice(0, 40)}`;
    const detail = DetailSchemas.AccountUpdated.safeParse({ eventId, accountId: id, ...fields, ...(time.data.updatedAt ? { updatedAt: time.data.updatedAt } : {}) });
    if (!detail.success) return { row, refusals: detail.error.issues.map((issue) => describeProblem(row, { path: issue.path[0] === 'accountId' ? ['id', ...issue.path.slice(1)] : issue.path, reason: issue.message })) };
    return { row, detail: detail.data };
  });
}

function unknownFields(row: ImportRow): RowProblem[] {
  return Object.keys(row.candidate)
    .filter((field) => !ROW_FIELDS.includes(field))
    .map((field) => ({ path: [field], reason: 'not a field of the account record (README.md, "Importing accounts")' }));
}

/** Rows sharing an account id: which one is meant cannot be known, so each is refused, naming the others. */
function placesById(rows: readonly ImportRow[]): Map<string, string[]> {
  const places = new Map<string, string[]>();
  for (const row of rows) {
    const id = row.candidate.id;
    if (typeof id === 'string' && id !== '') places.set(id, [...(places.get(id) ?? []), row.place]);
  }
  return places;
}

function sharedId(row: ImportRow, places: Map<string, string[]>): RowProblem[] {
  const others = (places.get(String(row.candidate.id)) ?? []).filter((place) => place !== row.place);
  return others.length > 0 ? [{ path: ['id'], reason: `the same account id is on ${others.join(', ')}; keep one row per account` }] : [];
}
