import { randomUUID } from 'node:crypto';
import { header, isObject, startVendorServer, type Answer, type RecordedRequest, type VendorServer } from './vendor-server.ts';

/**
 * A HubSpot portal's companies, contacts and owners, behind the CRM endpoints the backfill and the
 * webhook's company reads use, as HubSpot documents them:
 * - `GET /crm/v3/objects/companies?limit&after&properties&archived` (https://developers.hubspot.com/docs/guides/crm/using-object-apis):
 *   `limit` 1–100 (default 10), `properties` comma-separated; each result `{ id, properties, createdAt,
 *   updatedAt, archived }` with the properties asked (null when unset) besides `hs_object_id`,
 *   `createdate`, `hs_lastmodifieddate`; `paging.next.after` while more remain; and `GET …/companies/{id}`.
 * - `GET /crm/v3/owners?limit&after&archived` (limit up to 500) and `GET /crm/v3/owners/{ownerId}`
 *   (https://developers.hubspot.com/docs/api-reference/crm-crm-owners-v3/guide): `{ id, email, type,
 *   firstName, lastName, userId, createdAt, updatedAt, archived }`; archived owners only with `archived=true`.
 * - `POST /crm/v4/associations/companies/contacts/batch/read` `{ inputs: [{ id, after? }] }`, at most
 *   1,000 inputs (https://developers.hubspot.com/changelog/bug-fix-batch-read-limit-for-hubspot-associations-api):
 *   per company `{ from: { id }, to: [{ toObjectId, associationTypes }], paging? }`, `paging` only when
 *   more remain (`after` asks for them); a company with none is an error of the multi-status answer (207).
 * - `POST /crm/v3/objects/contacts/batch/read` `{ properties, inputs: [{ id }] }`, at most 100 inputs:
 *   the contacts found; ids not found are errors of a 207.
 * - `Authorization: Bearer <token>` on every call (else 401 `INVALID_AUTHENTICATION`); JSON bodies.
 */

export interface PortfolioCompany {
  id: string;
  properties: Record<string, string>;
  /** Contact ids, in association order. */
  contacts?: readonly string[];
  updatedAt?: string;
}

export interface PortfolioContact {
  id: string;
  properties: Record<string, string>;
}

export interface PortfolioOwner {
  id: string;
  firstName: string | null;
  lastName: string | null;
  /** `owner-<id>@example.com` when not given. */
  email?: string;
  archived?: boolean;
}

export interface LocalHubSpotPortfolio extends VendorServer {
  /** The properties each companies request asked for, in order. */
  readonly propertiesAsked: readonly string[][];
  /** Sets a company's properties, as someone does in HubSpot at `updatedAt`. */
  setProperties(companyId: string, properties: Record<string, string>, updatedAt: string): void;
  rateLimitNextRequests(count: number, retryAfterSeconds: number): void;
}

export interface PortfolioOptions {
  accessToken: string;
  companies: readonly PortfolioCompany[];
  contacts: readonly PortfolioContact[];
  owners: readonly PortfolioOwner[];
  /** Associations per company in one batch answer (HubSpot: 500); smaller in a test, to page. */
  associationsPerAnswer?: number;
}

const STAMP = '2026-01-05T09:00:00.000Z';

export async function startHubSpotPortfolio(options: PortfolioOptions): Promise<LocalHubSpotPortfolio> {
  const companies = options.companies.map((company) => ({ ...company, properties: { ...company.properties } }));
  const contacts = new Map(options.contacts.map((contact) => [contact.id, contact]));
  const propertiesAsked: string[][] = [];
  const perAnswer = options.associationsPerAnswer ?? 500;

  const error = (status: number, category: string, message: string): Answer => ({ status, body: { status: 'error', message, correlationId: randomUUID(), category } });
  const asked = (query: URLSearchParams) => query.getAll('properties').flatMap((value) => value.split(',')).map((name) => name.trim()).filter(Boolean);
  const publicCompany = (company: PortfolioCompany, properties: readonly string[]) => ({
    id: company.id,
    properties: {
      ...Object.fromEntries(properties.map((name) => [name, company.properties[name] ?? null])),
      hs_object_id: company.id,
      createdate: STAMP,
      hs_lastmodifieddate: company.updatedAt ?? STAMP,
    },
    createdAt: STAMP,
    updatedAt: company.updatedAt ?? STAMP,
    archived: false,
  });
  const publicOwner = (owner: PortfolioOwner) => ({
    id: owner.id,
    email: owner.email ?? `owner-${owner.id}@example.com`,
    type: 'PERSON',
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: Number(owner.id) + 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    archived: owner.archived ?? false,
  });

  function handle(request: RecordedRequest): Answer {
    if (header(request.headers, 'authorization') !== `Bearer ${options.accessToken}`) {
      return error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
    }
    if (request.method === 'POST' && !header(request.headers, 'content-type')?.startsWith('application/json')) return error(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content type not supported');

    if (request.method === 'GET' && request.path === '/crm/v3/objects/companies') {
      const limit = Number(request.query.get('limit') ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 'VALIDATION_ERROR', 'limit must be between 1 and 100');
      const properties = asked(request.query);
      propertiesAsked.push(properties);
      return page(companies, request.query.get('after'), limit, (company) => publicCompany(company, properties));
    }
    let match = /^\/crm\/v3\/objects\/companies\/([^/]+)$/.exec(request.path);
    if (match && request.method === 'GET') {
      const company = companies.find((candidate) => candidate.id === decodeURIComponent(match![1]!));
      return company ? { status: 200, body: publicCompany(company, asked(request.query)) } : error(404, 'OBJECT_NOT_FOUND', 'resource not found');
    }
    if (request.method === 'GET' && request.path === '/crm/v3/owners') {
      const limit = Number(request.query.get('limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) return error(400, 'VALIDATION_ERROR', 'limit must be between 1 and 500');
      const archived = request.query.get('archived') === 'true';
      return page(
        options.owners.filter((owner) => (owner.archived ?? false) === archived),
        request.query.get('after'),
        limit,
        publicOwner,
      );
    }
    match = /^\/crm\/v3\/owners\/([^/]+)$/.exec(request.path);
    if (match && request.method === 'GET') {
      const owner = options.owners.find((candidate) => candidate.id === decodeURIComponent(match![1]!) && !candidate.archived);
      return owner ? { status: 200, body: publicOwner(owner) } : error(404, 'OBJECT_NOT_FOUND', 'Owner not found');
    }
    if (request.method === 'POST' && request.path === '/crm/v4/associations/companies/contacts/batch/read') return readAssociations(request.body);
    if (request.method === 'POST' && request.path === '/crm/v3/objects/contacts/batch/read') return readContacts(request.body);
    return error(404, 'OBJECT_NOT_FOUND', `No route for ${request.method} ${request.path}`);
  }

  /** One page from `after` (an offset, opaque to the client, as HubSpot's cursors are). */
  function page<T>(items: readonly T[], after: string | null, limit: number, render: (item: T) => unknown): Answer {
    const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) return error(400, 'VALIDATION_ERROR', 'after is not a valid cursor');
    const end = start + limit;
    const next = end < items.length ? { paging: { next: { after: Buffer.from(String(end)).toString('base64url'), link: `?after=${end}` } } } : {};
    return { status: 200, body: { results: items.slice(start, end).map(render), ...next } };
  }

  function readAssociations(body: unknown): Answer {
    const inputs = isObject(body) && Array.isArray(body.inputs) ? body.inputs : undefined;
    if (!inputs || inputs.length === 0 || inputs.length > 1000) return error(400, 'VALIDATION_ERROR', 'inputs must hold 1 to 1000 ids');
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      if (!isObject(input) || typeof input.id !== 'string') return error(400, 'VALIDATION_ERROR', 'each input needs an id');
      const ids = companies.find((company) => company.id === input.id)?.contacts ?? [];
      const start = typeof input.after === 'string' ? Number(Buffer.from(input.after, 'base64url').toString('utf8')) : 0;
      if (ids.length === 0) {
        errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `No contacts are associated with company ${input.id}`, context: { fromObjectId: [input.id] } });
        continue;
      }
      const end = start + perAnswer;
      results.push({
        from: { id: input.id },
        // HubSpot's v4 answers give the associated id as a number.
        to: ids.slice(start, end).map((id) => ({ toObjectId: Number(id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }] })),
        ...(end < ids.length ? { paging: { next: { after: Buffer.from(String(end)).toString('base64url'), link: null } } } : {}),
      });
    }
    return { status: errors.length > 0 ? 207 : 200, body: { status: 'COMPLETE', results, ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}), startedAt: STAMP, completedAt: STAMP } };
  }

  function readContacts(body: unknown): Answer {
    const inputs = isObject(body) && Array.isArray(body.inputs) ? body.inputs : undefined;
    const properties = isObject(body) && Array.isArray(body.properties) ? body.properties.map(String) : [];
    if (!inputs || inputs.length === 0 || inputs.length > 100) return error(400, 'VALIDATION_ERROR', 'inputs must hold 1 to 100 ids');
    const found = inputs.flatMap((input) => (isObject(input) && typeof input.id === 'string' && contacts.has(input.id) ? [contacts.get(input.id)!] : []));
    const missing = inputs.length - found.length;
    return {
      status: missing > 0 ? 207 : 200,
      body: {
        status: 'COMPLETE',
        results: found.map((contact) => ({
          id: contact.id,
          properties: { ...Object.fromEntries(properties.map((name) => [name, contact.properties[name] ?? null])), hs_object_id: contact.id },
          createdAt: STAMP,
          updatedAt: STAMP,
          archived: false,
        })),
        ...(missing > 0 ? { numErrors: missing, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist.' }] } : {}),
        startedAt: STAMP,
        completedAt: STAMP,
      },
    };
  }

  const server = await startVendorServer(handle);
  return Object.assign(server, {
    propertiesAsked,
    setProperties(companyId: string, properties: Record<string, string>, updatedAt: string) {
      const company = companies.find((candidate) => candidate.id === companyId)!;
      Object.assign(company.properties, properties);
      company.updatedAt = updatedAt;
    },
    rateLimitNextRequests(count: number, retryAfterSeconds: number) {
      server.failNextRequests(count, {
        status: 429,
        headers: { 'Retry-After': String(retryAfterSeconds) },
        body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'SECONDLY' },
      });
    },
  });
}
