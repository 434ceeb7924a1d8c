import { randomUUID } from 'node:crypto';
import { header, isObject, startVendorServer, type Answer, type RecordedRequest, type VendorServer } from './vendor-server.ts';

/**
 * The HubSpot CRM endpoints the adapter uses, as documented:
 * - `POST /crm/v3/objects/{tasks|deals}/batch/upsert` — `inputs: [{ idProperty, id, properties }]`;
 *   `idProperty` must be a unique-value property of the object (`hasUniqueValue`); the record whose
 *   property holds `id` is updated, otherwise one is created; each result says whether it is `new`.
 *   This is the dedup the real API does, and what makes a retried create idempotent.
 *   Creating a task needs `hs_timestamp`; a deal needs `dealname` and `dealstage` (of its `pipeline`).
 * - `PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}` — the default
 *   association (task→company 192, deal→company 341), idempotent.
 * - `GET` / `PATCH /crm/v3/objects/companies/{id}` (optionally `?idProperty=`): read, update properties.
 * - `GET /crm/v3/objects/{tasks|deals|calls|meetings|emails|companies}/{id}?properties=a,b&associations=companies,contacts`
 *   (https://developers.hubspot.com/docs/guides/crm/using-object-apis): the record with the properties
 *   asked for (null when unset) besides the defaults `hs_object_id`, `createdate`, `hs_lastmodifieddate`,
 *   and `associations: { <type>: { results: [{ id, type }] } }` for each type asked that has any;
 *   404 `OBJECT_NOT_FOUND` for an unknown or deleted id; 400 for an unknown query parameter or type.
 * - Every call needs `Authorization: Bearer <private app token>` (else 401 `INVALID_AUTHENTICATION`);
 *   bodies need `Content-Type: application/json` (else 415).
 * - Errors are `{ status: "error", message, correlationId, category }`; a rate limit is HTTP 429
 *   `{ status: "error", message, errorType: "RATE_LIMIT", correlationId, policyName }`.
 *
 * The error messages echo submitted values, as HubSpot's do, so the tests can prove the adapter
 * never repeats them.
 */

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface LocalHubSpotOptions {
  accessToken: string;
  /** Unique-value properties per object type. */
  uniqueProperties: Readonly<Record<string, readonly string[]>>;
  companies: readonly { id: string; properties: Record<string, string> }[];
  /** Company properties that exist, besides the unique ones; date properties are named here too. */
  companyProperties: readonly string[];
  companyDateProperties: readonly string[];
  companyBooleanProperties: readonly string[];
  /** Deal pipelines and their stage ids. */
  pipelines: Readonly<Record<string, readonly string[]>>;
}

export interface LocalHubSpot extends VendorServer {
  objects(type: string): readonly HubSpotRecord[];
  /** `<fromType>:<fromId>→<toType>:<toId>` with the association type id. */
  readonly associations: readonly { from: string; to: string; associationTypeId: number }[];
  /** Requests refused for protocol reasons (auth, content type). */
  readonly refusals: readonly { path: string; status: number; category: string }[];
  rateLimitNextRequests(count: number, options?: { retryAfterSeconds?: number; policyName?: 'SECONDLY' | 'DAILY' }): void;
  /** A record made in HubSpot by a person (a call logged, a deal opened), associated with `associations` (`companies:123`, `contacts:9`). */
  addObject(type: string, properties: Record<string, string>, associations?: readonly string[]): HubSpotRecord;
  /** A record deleted in HubSpot since. */
  deleteObject(type: string, id: string): void;
  /** Sets properties of a record, as a person does in HubSpot (a task marked completed). */
  setProperties(type: string, id: string, properties: Record<string, string>): void;
  /** The reads made (`GET` requests), path and query. */
  readonly reads: readonly string[];
}

const ASSOCIATION_TYPES: Record<string, number> = { 'tasks:companies': 192, 'deals:companies': 341 };
const READABLE_TYPES = ['tasks', 'deals', 'calls', 'meetings', 'emails', 'companies'];
const ASSOCIATED_TYPES = ['companies', 'contacts', 'deals', 'tasks', 'calls', 'meetings', 'emails', 'tickets'];
const SINGULAR: Record<string, string> = { tasks: 'task', deals: 'deal', calls: 'call', meetings: 'meeting', emails: 'email', companies: 'company', contacts: 'contact', tickets: 'ticket' };
const TASK_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'];
const TASK_TYPES = ['EMAIL', 'CALL', 'TODO'];

export async function startLocalHubSpot(options: LocalHubSpotOptions): Promise<LocalHubSpot> {
  const store = new Map<string, HubSpotRecord[]>(READABLE_TYPES.map((type) => [type, []]));
  const reads: string[] = [];
  const associations: { from: string; to: string; associationTypeId: number }[] = [];
  const refusals: { path: string; status: number; category: string }[] = [];
  let nextId = 1000;
  const stamp = () => new Date().toISOString();
  for (const company of options.companies) {
    store.get('companies')!.push({ id: company.id, properties: { ...company.properties, hs_object_id: company.id }, createdAt: stamp(), updatedAt: stamp() });
  }

  const error = (status: number, category: string, message: string): Answer => ({
    status,
    body: { status: 'error', message, correlationId: randomUUID(), category },
  });
  const refuse = (path: string, status: number, category: string, message: string): Answer => {
    refusals.push({ path, status, category });
    return error(status, category, message);
  };
  const find = (type: string, id: string, idProperty: string | null): HubSpotRecord | undefined => {
    const records = store.get(type) ?? [];
    if (!idProperty || idProperty === 'hs_object_id') return records.find((r) => r.id === id);
    return records.find((r) => r.properties[idProperty] === id);
  };

  function handle(request: RecordedRequest): Answer {
    const authorization = header(request.headers, 'authorization');
    if (authorization !== `Bearer ${options.accessToken}`) {
      return refuse(
        request.path,
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    if (request.rawBody.length > 0) {
      const contentType = header(request.headers, 'content-type') ?? '';
      if (!contentType.startsWith('application/json')) return refuse(request.path, 415, 'UNSUPPORTED_MEDIA_TYPE', `Content type '${contentType}' not supported`);
      if (request.body === undefined) return refuse(request.path, 400, 'VALIDATION_ERROR', 'Invalid input JSON on line 1');
    }

    let match = /^\/crm\/v3\/objects\/(tasks|deals)\/batch\/upsert$/.exec(request.path);
    if (match && request.method === 'POST') return upsert(match[1]!, request.body);

    match = /^\/crm\/v4\/objects\/(\w+)\/([^/]+)\/associations\/default\/(\w+)\/([^/]+)$/.exec(request.path);
    if (match && request.method === 'PUT') {
      const [, fromType, fromId, toType, toId] = match as unknown as [string, string, string, string, string];
      const typeId = ASSOCIATION_TYPES[`${fromType}:${toType}`];
      if (typeId === undefined) return error(400, 'VALIDATION_ERROR', `No default association from ${fromType} to ${toType}`);
      if (!find(fromType, decodeURIComponent(fromId), null) || !find(toType, decodeURIComponent(toId), null)) {
        return error(404, 'OBJECT_NOT_FOUND', 'One or more objects of the association do not exist');
      }
      const from = `${fromType}:${decodeURIComponent(fromId)}`;
      const to = `${toType}:${decodeURIComponent(toId)}`;
      if (!associations.some((a) => a.from === from && a.to === to)) associations.push({ from, to, associationTypeId: typeId });
      return {
        status: 200,
        body: {
          status: 'COMPLETE',
          results: [{ from: { id: decodeURIComponent(fromId) }, to: { id: decodeURIComponent(toId) }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }],
          startedAt: stamp(),
          completedAt: stamp(),
        },
      };
    }

    match = /^\/crm\/v3\/objects\/(\w+)\/([^/]+)$/.exec(request.path);
    if (match && request.method === 'GET' && !request.query.has('idProperty')) {
      reads.push(`${request.path}?${request.query.toString()}`);
      return readObject(match[1]!, decodeURIComponent(match[2]!), request.query);
    }

    match = /^\/crm\/v3\/objects\/companies\/([^/]+)$/.exec(request.path);
    if (match) {
      const idProperty = request.query.get('idProperty');
      if (idProperty && idProperty !== 'hs_object_id' && !(options.uniqueProperties.companies ?? []).includes(idProperty)) {
        return error(400, 'VALIDATION_ERROR', `Property ${idProperty} is not a unique identifier property`);
      }
      const company = find('companies', decodeURIComponent(match[1]!), idProperty);
      if (!company) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
      if (request.method === 'GET') return { status: 200, body: publicObject(company) };
      if (request.method === 'PATCH') return patchCompany(company, request.body);
    }
    return error(404, 'OBJECT_NOT_FOUND', `No route for ${request.method} ${request.path}`);
  }

  function readObject(type: string, id: string, query: URLSearchParams): Answer {
    const unknown = [...query.keys()].filter((name) => !['properties', 'associations', 'archived'].includes(name));
    if (unknown.length > 0) return error(400, 'VALIDATION_ERROR', `Unknown query parameters: ${unknown.join(', ')}`);
    if (!READABLE_TYPES.includes(type)) return error(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
    const asked = (name: string) => query.getAll(name).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
    const associationTypes = asked('associations');
    const invalid = associationTypes.filter((toType) => !ASSOCIATED_TYPES.includes(toType));
    if (invalid.length > 0) return error(400, 'VALIDATION_ERROR', `Unknown association types: ${invalid.join(', ')}`);
    const record = find(type, id, null);
    if (!record) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
    const properties: Record<string, string | null> = {
      hs_object_id: record.id,
      createdate: record.properties.createdate ?? record.createdAt,
      hs_lastmodifieddate: record.updatedAt,
    };
    for (const name of asked('properties')) properties[name] = record.properties[name] ?? null;
    const associated: Record<string, { results: { id: string; type: string }[] }> = {};
    for (const toType of associationTypes) {
      const results = associations
        .filter((a) => a.from === `${type}:${record.id}` && a.to.startsWith(`${toType}:`))
        .map((a) => ({ id: a.to.slice(toType.length + 1), type: `${SINGULAR[type]}_to_${SINGULAR[toType]}` }));
      if (results.length > 0) associated[toType] = { results };
    }
    return {
      status: 200,
      body: { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false, ...(Object.keys(associated).length > 0 ? { associations: associated } : {}) },
    };
  }

  function upsert(type: string, body: unknown): Answer {
    const inputs = isObject(body) && Array.isArray(body.inputs) ? body.inputs : undefined;
    if (!inputs || inputs.length === 0 || inputs.length > 100) return error(400, 'VALIDATION_ERROR', 'inputs must hold 1 to 100 records');
    const results: unknown[] = [];
    const pending: (() => void)[] = [];
    for (const input of inputs) {
      if (!isObject(input) || typeof input.idProperty !== 'string' || typeof input.id !== 'string' || !isObject(input.properties)) {
        return error(400, 'VALIDATION_ERROR', 'Each input needs idProperty, id and properties');
      }
      const { idProperty, id } = input;
      if (!(options.uniqueProperties[type] ?? []).includes(idProperty)) {
        return error(400, 'VALIDATION_ERROR', `Property ${idProperty} is not a unique identifier property of ${type}`);
      }
      const properties: Record<string, string> = {};
      for (const [name, value] of Object.entries(input.properties)) properties[name] = String(value);
      const existing = find(type, id, idProperty);
      const merged = { ...existing?.properties, ...properties, [idProperty]: id };
      const invalid = validate(type, merged, existing === undefined);
      if (invalid) return error(400, 'VALIDATION_ERROR', `Property values were not valid: ${invalid} (submitted: ${JSON.stringify(properties)})`);
      pending.push(() => {
        if (existing) {
          existing.properties = merged;
          existing.updatedAt = stamp();
          results.push({ ...publicObject(existing), new: false });
        } else {
          const record: HubSpotRecord = { id: String(nextId++), properties: merged, createdAt: stamp(), updatedAt: stamp() };
          record.properties.hs_object_id = record.id;
          store.get(type)!.push(record);
          results.push({ ...publicObject(record), new: true });
        }
      });
    }
    // All or nothing, as one request.
    for (const apply of pending) apply();
    return { status: 200, body: { status: 'COMPLETE', results, startedAt: stamp(), completedAt: stamp() } };
  }

  function validate(type: string, properties: Record<string, string>, creating: boolean): string | undefined {
    if (type === 'tasks') {
      if (creating && !properties.hs_timestamp) return 'hs_timestamp is required';
      if (properties.hs_timestamp && Number.isNaN(/^\d+$/.test(properties.hs_timestamp) ? Number(properties.hs_timestamp) : Date.parse(properties.hs_timestamp))) {
        return 'hs_timestamp is not a timestamp';
      }
      if (properties.hs_task_status && !TASK_STATUSES.includes(properties.hs_task_status)) return 'hs_task_status is not a valid option';
      if (properties.hs_task_type && !TASK_TYPES.includes(properties.hs_task_type)) return 'hs_task_type is not a valid option';
      if (properties.hubspot_owner_id && !/^\d+$/.test(properties.hubspot_owner_id)) return 'hubspot_owner_id is not a valid owner';
    }
    if (type === 'deals') {
      if (creating && (!properties.dealname || !properties.dealstage)) return 'dealname and dealstage are required';
      const pipeline = properties.pipeline ?? 'default';
      const stages = options.pipelines[pipeline];
      if (!stages) return `pipeline ${pipeline} does not exist`;
      if (properties.dealstage && !stages.includes(properties.dealstage)) return `dealstage ${properties.dealstage} is not a stage of pipeline ${pipeline}`;
      if (properties.amount && Number.isNaN(Number(properties.amount))) return 'amount is not a number';
    }
    return undefined;
  }

  function patchCompany(company: HubSpotRecord, body: unknown): Answer {
    if (!isObject(body) || !isObject(body.properties)) return error(400, 'VALIDATION_ERROR', 'properties is required');
    const known = new Set([...options.companyProperties, ...options.companyDateProperties, ...options.companyBooleanProperties]);
    for (const [name, raw] of Object.entries(body.properties)) {
      const value = String(raw);
      if (!known.has(name)) return error(400, 'VALIDATION_ERROR', `Property "${name}" does not exist`);
      if (options.companyDateProperties.includes(name) && value !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(value) && !/^\d+$/.test(value)) {
        return error(400, 'VALIDATION_ERROR', `${value} is not a valid date for ${name}`);
      }
      if (options.companyBooleanProperties.includes(name) && value !== 'true' && value !== 'false') {
        return error(400, 'VALIDATION_ERROR', `${value} is not a valid boolean for ${name}`);
      }
    }
    for (const [name, raw] of Object.entries(body.properties)) company.properties[name] = String(raw);
    company.updatedAt = stamp();
    return { status: 200, body: publicObject(company) };
  }

  const server = await startVendorServer(handle);
  const reset = server.reset.bind(server);
  return Object.assign(server, {
    objects: (type: string) => [...(store.get(type) ?? [])],
    associations,
    refusals,
    rateLimitNextRequests(count: number, limit: { retryAfterSeconds?: number; policyName?: 'SECONDLY' | 'DAILY' } = {}) {
      const policyName = limit.policyName ?? 'SECONDLY';
      server.failNextRequests(count, {
        status: 429,
        headers: limit.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(limit.retryAfterSeconds) },
        body: {
          status: 'error',
          message: `You have reached your ${policyName === 'DAILY' ? 'daily' : 'secondly'} limit.`,
          errorType: 'RATE_LIMIT',
          correlationId: randomUUID(),
          policyName,
        },
      });
    },
    reads,
    addObject(type: string, properties: Record<string, string>, associatedWith: readonly string[] = []) {
      const record: HubSpotRecord = { id: String(nextId++), properties: { ...properties }, createdAt: stamp(), updatedAt: stamp() };
      record.properties.hs_object_id = record.id;
      store.get(type)!.push(record);
      for (const to of associatedWith) associations.push({ from: `${type}:${record.id}`, to, associationTypeId: ASSOCIATION_TYPES[`${type}:${to.split(':')[0]}`] ?? 0 });
      return record;
    },
    deleteObject(type: string, id: string) {
      const records = store.get(type)!;
      records.splice(records.findIndex((r) => r.id === id), 1);
    },
    setProperties(type: string, id: string, properties: Record<string, string>) {
      const record = find(type, id, null)!;
      Object.assign(record.properties, properties);
      record.updatedAt = stamp();
    },
    reset() {
      reset();
      refusals.length = 0;
      reads.length = 0;
    },
  });
}

function publicObject(record: HubSpotRecord) {
  return { id: record.id, properties: { ...record.properties }, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false };
}

/** The portal the tests use: a retention pipeline, the cs_playbooks_id upsert key, and one company carrying `cs_account_id`. */
export const RETENTION_PORTAL = {
  accessToken: 'pat-eu1-local-test-token',
  pipeline: 'retention',
  stages: { open: 'risk-open', saved: 'risk-saved', lost: 'risk-lost' },
} as const;

export function startRetentionHubSpot(
  company: { id: string; name: string; accountId: string } | readonly { id: string; name: string; accountId: string }[],
  extraPipelines: Record<string, readonly string[]> = {},
): Promise<LocalHubSpot> {
  const companies = Array.isArray(company) ? company : [company];
  return startLocalHubSpot({
    accessToken: RETENTION_PORTAL.accessToken,
    uniqueProperties: { tasks: ['cs_playbooks_id'], deals: ['cs_playbooks_id'], companies: ['cs_account_id'] },
    companies: companies.map(({ id, name, accountId }) => ({ id, properties: { name, cs_account_id: accountId } })),
    companyProperties: ['name'],
    companyDateProperties: ['cs_plan_expires_on'],
    companyBooleanProperties: ['cs_nps_survey_suppressed'],
    pipelines: { ...extraPipelines, [RETENTION_PORTAL.pipeline]: Object.values(RETENTION_PORTAL.stages) },
  });
}
