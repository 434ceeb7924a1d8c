import { CliError } from '../commands/command.ts';
import { z } from '../../functions/contracts/zod.ts';
import {
  contactRole,
  fullName,
  HubSpotOwner,
  isOwnerNamed,
  MAPPED_FIELDS,
  readCompanyValue,
  type AccountProperties,
} from '../../functions/ingest/vendors/hubspot-accounts.ts';
import type { CrmOwner } from '../../functions/core/people/directory.ts';
import type { HubSpotApi } from './hubspot-api.ts';
import { contractPath, type ImportRow, type RowProblem } from './rows.ts';

/**
 * The HubSpot backfill's read: every company (CRM v3 `GET /crm/v3/objects/companies`, 100 a page, the
 * mapped properties asked by name, paged with `after`), the portal's owners (`GET /crm/v3/owners`, whose
 * names become `csmName`), each page's contacts (associations v4 `POST /crm/v4/associations/companies/
 * contacts/batch/read`, then `POST /crm/v3/objects/contacts/batch/read` with the role property), each
 * company turned into an account through the stage's mapping (functions/ingest/vendors/hubspot-accounts.ts,
 * the webhook's too). Docs: https://developers.hubspot.com/docs/guides/crm/using-object-apis,
 * /docs/api-reference/crm-crm-owners-v3/guide, /docs/api-reference/legacy/crm/associations/associate-records/batch/get-associations.
 */

export interface HubSpotMapping {
  properties: AccountProperties;
  /** The company property holding the account id; the company id when unset. */
  companyIdProperty?: string | undefined;
  /** The contact property holding its role (`hs_buying_role` by default). */
  contactRoleProperty: string;
}

/** Objects per page and per batch read, HubSpot's maxima for these endpoints. */
const COMPANIES_PER_PAGE = 100;
const OWNERS_PER_PAGE = 500;
const CONTACTS_PER_BATCH = 100;
const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname'];

const Paging = z.optional(z.object({ next: z.optional(z.object({ after: z.string() })) }));
const CrmObject = z.object({ id: z.string(), properties: z.record(z.string(), z.unknown()), updatedAt: z.optional(z.string()) });
const ObjectPage = z.object({ results: z.array(CrmObject), paging: Paging });
const OwnerPage = z.object({ results: z.array(HubSpotOwner), paging: Paging });
const Associations = z.object({
  results: z.array(z.object({ from: z.object({ id: z.string() }), to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]) })), paging: Paging })),
});
const ContactBatch = z.object({ results: z.array(CrmObject) });
type CrmObject = z.infer<typeof CrmObject>;

/** Every company of the portal as an import row, with `progress` told of each page read. */
export async function readHubSpotAccounts(api: HubSpotApi, mapping: HubSpotMapping, progress: (read: number) => void = () => undefined): Promise<ImportRow[]> {
  const owners = await readOwners(api);
  const asked = [...new Set([...Object.values(mapping.properties), ...(mapping.companyIdProperty ? [mapping.companyIdProperty] : [])])];
  const rows: ImportRow[] = [];
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(COMPANIES_PER_PAGE), properties: asked.join(','), archived: 'false', ...(after ? { after } : {}) });
    const page = parsed(ObjectPage, await api.get(`/crm/v3/objects/companies?${query}`), 'GET /crm/v3/objects/companies');
    const contacts = await readContacts(api, page.results.map((company) => company.id), mapping.contactRoleProperty);
    rows.push(...page.results.map((company) => companyRow(company, mapping, owners, contacts.get(company.id) ?? [])));
    progress(rows.length);
    after = page.paging?.next?.after;
  } while (after);
  return rows;
}

async function readOwners(api: HubSpotApi): Promise<Map<string, string | undefined>> {
  return new Map((await readHubSpotOwners(api, { archived: false })).map(({ id, name }) => [id, name]));
}

/**
 * The portal's owners (`GET /crm/v3/owners`, 500 a page): the active ones, or the archived ones (users
 * removed from the portal). Name and e-mail as HubSpot holds them; an e-mail HubSpot does not hold as
 * one is left out.
 */
export async function readHubSpotOwners(api: HubSpotApi, { archived }: { archived: boolean }): Promise<CrmOwner[]> {
  const owners: CrmOwner[] = [];
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(OWNERS_PER_PAGE), archived: String(archived), ...(after ? { after } : {}) });
    const page = parsed(OwnerPage, await api.get(`/crm/v3/owners?${query}`), 'GET /crm/v3/owners');
    for (const owner of page.results) {
      const email = z.email().safeParse(owner.email);
      owners.push({ id: owner.id, name: fullName(owner.firstName, owner.lastName), ...(email.success ? { email: email.data } : {}), archived });
    }
    after = page.paging?.next?.after;
  } while (after);
  return owners;
}

/** Company id → its contacts (read with the role property), in the order HubSpot associates them. */
async function readContacts(api: HubSpotApi, companyIds: readonly string[], roleProperty: string): Promise<Map<string, CrmObject[]>> {
  const contactIds = new Map<string, string[]>();
  // A company with more associations than one answer holds comes back with `paging`: asked again from there.
  let inputs: { id: string; after?: string }[] = companyIds.map((id) => ({ id }));
  while (inputs.length > 0) {
    const answer = parsed(Associations, await api.post('/crm/v4/associations/companies/contacts/batch/read', { inputs }), 'POST /crm/v4/associations/companies/contacts/batch/read');
    inputs = [];
    for (const result of answer.results) {
      contactIds.set(result.from.id, [...(contactIds.get(result.from.id) ?? []), ...result.to.map((to) => String(to.toObjectId))]);
      const next = result.paging?.next?.after;
      if (next) inputs.push({ id: result.from.id, after: next });
    }
  }
  const unique = [...new Set([...contactIds.values()].flat())];
  const contacts = new Map<string, CrmObject>();
  for (let start = 0; start < unique.length; start += CONTACTS_PER_BATCH) {
    const body = { properties: [...CONTACT_PROPERTIES, roleProperty], inputs: unique.slice(start, start + CONTACTS_PER_BATCH).map((id) => ({ id })) };
    const batch = parsed(ContactBatch, await api.post('/crm/v3/objects/contacts/batch/read', body), 'POST /crm/v3/objects/contacts/batch/read');
    for (const contact of batch.results) contacts.set(contact.id, contact);
  }
  // A contact HubSpot did not return (archived since the association) is not the company's any more.
  return new Map([...contactIds].map(([companyId, ids]) => [companyId, ids.map((id) => contacts.get(id)).filter((contact) => contact !== undefined)]));
}

/** One company as the account the mapping makes of it; each value HubSpot holds that the contract cannot take is named with its property. */
function companyRow(company: CrmObject, mapping: HubSpotMapping, owners: Map<string, string | undefined>, contacts: readonly CrmObject[]): ImportRow {
  const values = company.properties;
  const candidate: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  const notes: string[] = [];
  const propertyOf = (field: string) => mapping.properties[field as keyof AccountProperties];
  const fieldName = (field: string) => (propertyOf(field) ? `${field} (HubSpot property ${propertyOf(field)})` : field);

  const idProperty = mapping.companyIdProperty;
  const id = idProperty ? values[idProperty] : company.id;
  if (typeof id === 'string' && id.trim() !== '') candidate.id = id.trim();
  else problems.push({ path: ['id'], reason: `the company has no ${idProperty}, which holds the account id` });

  const zone = mapping.properties.timezone ? readCompanyValue('timezone', values[mapping.properties.timezone]) : undefined;
  for (const field of MAPPED_FIELDS) {
    const property = propertyOf(field);
    if (!property) continue;
    const value = readCompanyValue(field, values[property], zone && 'value' in zone ? String(zone.value) : undefined);
    if (value && 'value' in value) candidate[field] = value.value;
    else if (value) problems.push({ path: [field], reason: value.problem });
  }
  if (isOwnerNamed(mapping.properties, 'csmName') && typeof candidate.csmId === 'string') {
    const name = owners.get(candidate.csmId);
    if (name) candidate.csmName = name;
    else if (!owners.has(candidate.csmId)) notes.push(`csmId: owner ${candidate.csmId} is not one of HubSpot's active owners, so the account has no CSM name (e-mails are signed with emails.signature)`);
  }

  const kept: CrmObject[] = [];
  for (const contact of contacts) {
    const email = contact.properties.email;
    const name = fullName(contact.properties.firstname, contact.properties.lastname);
    if (typeof email !== 'string' || email.trim() === '') notes.push(`contact ${contact.id} left out: it has no e-mail address in HubSpot`);
    else if (!name) notes.push(`contact ${contact.id} left out: it has no first or last name in HubSpot (the e-mails greet contacts by name)`);
    else kept.push(contact);
  }
  candidate.contacts = kept.map((contact) => ({
    id: contact.id,
    email: String(contact.properties.email).trim(),
    name: fullName(contact.properties.firstname, contact.properties.lastname),
    role: contactRole(contact.properties[mapping.contactRoleProperty]),
  }));
  // When HubSpot last changed the company: the import never undoes a newer change its webhook brought.
  const updatedAt = Date.parse(company.updatedAt ?? '');
  if (Number.isFinite(updatedAt)) candidate.updatedAt = new Date(updatedAt).toISOString();

  return {
    place: `HubSpot company ${company.id}`,
    candidate,
    problems,
    notes,
    name: (path) => {
      if (path[0] === 'contacts' && typeof path[1] === 'number') return `contact ${kept[path[1]]?.id ?? path[1]} ${path.slice(2).map(String).join('.')}`.trim();
      if (path[0] === 'id') return idProperty ? `id (HubSpot property ${idProperty})` : 'id (the company id)';
      return path.length === 1 ? fieldName(String(path[0])) : contractPath(path);
    },
  };
}

function parsed<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new CliError(`HubSpot's answer to ${what} is not what its API documents (${result.error.issues[0]?.path.join('.') ?? ''}: ${result.error.issues[0]?.message})`);
  return result.data;
}
