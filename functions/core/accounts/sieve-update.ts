import { AccountPatch, describeIssues, REMOVE_ALL_CONTACTS_ALONE } from '../../contracts/index.ts';

/** A field an update may not set, and why, in words that never quote the value (it may be a customer's data). */
export interface RefusedField {
  field: string;
  problem: string;
}

/** An update split field by field: what the record can take, and what it refuses. */
export interface SievedUpdate {
  patch: AccountPatch;
  refused: RefusedField[];
}

/** Why an update's country is refused although it is a country: the stage's business calendar does not know it. */
export const COUNTRY_NOT_IN_CALENDAR =
  'not a country whose public holidays the stage knows (settings.calendar.countries): if the country is right, ask ops to add it there, then save it again in the CRM';

/** Why `contacts: []` alone is refused for an account that has contacts. */
export const EMPTY_CONTACTS =
  'an empty list would remove every contact; if the account really has none any more, the update says so with removeAllContacts: true';

/**
 * Each field of an update checked on its own, so that one refused field never costs the others:
 *
 * - against the account record's contract (`AccountRecord`: text never empty or blank, amounts from 0
 *   to their bound, a known time zone…);
 * - a country must be one whose holidays the stage knows (`countries`: `settings.calendar.countries`),
 *   or every business day of the account would be counted wrong;
 * - an empty `contacts` list would erase the contacts `held`: refused unless the update carries
 *   `removeAllContacts: true`; for an account without contacts it erases nothing, and is taken;
 * - `removeAllContacts` itself goes with `contacts: []` only;
 * - a field the sender says it could not send (`crmRefused`: HubSpot's property holding a formatted
 *   amount) is refused with the sender's reason, as if the record had refused it.
 *
 * A key that is no field of the record (`id`, a vendor's extra) is left out, as the contract's parse
 * leaves it. `fields`: what the update sets, its envelope (`eventId`, `accountId`, `updatedAt`) removed.
 */
export function sieveAccountUpdate(fields: Readonly<Record<string, unknown>>, held: Readonly<Record<string, unknown>>, countries: readonly string[]): SievedUpdate {
  const { removeAllContacts, crmRefused, ...values } = fields;
  const patch: Record<string, unknown> = {};
  const refused: RefusedField[] = [];
  for (const { field, problem } of (Array.isArray(crmRefused) ? crmRefused : []) as RefusedField[]) {
    if (Object.hasOwn(AccountPatch.shape, field) && values[field] === undefined) refused.push({ field, problem: `as read from the CRM: ${problem}` });
  }
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined || !Object.hasOwn(AccountPatch.shape, field)) continue;
    const parsed = AccountPatch.shape[field as keyof AccountPatch].safeParse(value);
    const problem = parsed.success ? ruleBroken(field, parsed.data, held, countries, removeAllContacts) : describeIssues(parsed.error).join('; ');
    if (problem === undefined) patch[field] = parsed.data;
    else refused.push({ field, problem });
  }
  if (removeAllContacts !== undefined && !(removeAllContacts === true && isEmptyList(values.contacts))) {
    refused.push({ field: 'removeAllContacts', problem: REMOVE_ALL_CONTACTS_ALONE });
  }
  return { patch: patch as AccountPatch, refused };
}

/** What a value the contract takes still breaks, given the account held: the calendar's countries, the contacts it would erase. */
function ruleBroken(field: string, value: unknown, held: Readonly<Record<string, unknown>>, countries: readonly string[], removeAllContacts: unknown): string | undefined {
  if (field === 'country' && !countries.includes(value as string)) return COUNTRY_NOT_IN_CALENDAR;
  if (field === 'contacts' && isEmptyList(value) && hasContacts(held) && removeAllContacts !== true) return EMPTY_CONTACTS;
  return undefined;
}

const isEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length === 0;
const hasContacts = (held: Readonly<Record<string, unknown>>): boolean => Array.isArray(held.contacts) && held.contacts.length > 0;
