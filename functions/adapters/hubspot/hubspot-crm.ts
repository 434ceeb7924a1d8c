/**
 * CrmSync on HubSpot's CRM v3 API (private app token), with `fetch` (no SDK).
 *
 * Contracts followed (HubSpot docs):
 * - https://developers.hubspot.com/docs/api/crm/tasks — task properties: `hs_timestamp` (required,
 *   the due date, ms or UTC ISO), `hs_task_subject`, `hs_task_body`, `hubspot_owner_id`,
 *   `hs_task_status` (`NOT_STARTED` | `COMPLETED`), `hs_task_type` (`EMAIL` | `CALL` | `TODO`).
 * - https://developers.hubspot.com/docs/api-reference/latest/crm/activities/tasks/batch/upsert-tasks
 *   and https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/deals/batch/upsert-deals —
 *   `POST /crm/v3/objects/{tasks|deals}/batch/upsert`, `inputs: [{ idProperty, id, properties }]`:
 *   creates or updates the record whose unique property `idProperty` has the value `id`; each
 *   result says whether it is `new`.
 * - https://developers.hubspot.com/docs/api/crm/deals — `dealname`, `dealstage` and `pipeline`
 *   (internal ids) when creating a deal.
 * - https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/guide —
 *   `PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}`: the default
 *   (unlabeled) association, idempotent.
 * - https://developers.hubspot.com/changelog/updating-objects-by-custom-field-and-adding-owner-properties-via-the-api —
 *   `PATCH /crm/v3/objects/companies/{id}` with `?idProperty=` to address a company by a unique property.
 * - https://developers.hubspot.com/docs/api/crm/properties — `hasUniqueValue: true` makes a custom
 *   property a unique identifier.
 * - https://developers.hubspot.com/docs/api-reference/error-handling and
 *   https://developers.hubspot.com/docs/api/usage-details — errors are `{ status: "error", message,
 *   category, correlationId, errors? }`; over a rate limit, HTTP 429 with `errorType: "RATE_LIMIT"`
 *   and `policyName` (`SECONDLY`, `DAILY`).
 *
 * Idempotency: tasks and deals carry a custom unique-value property (`cs_playbooks_id` by default)
 * holding the ledger's id, and are written with the batch *upsert* by that property. A retried call
 * — including one whose first answer was lost after HubSpot created the record — updates the same
 * record instead of creating a second one. Upsert is atomic on HubSpot's side, where "search, then
 * create" would race with the search index (eventually consistent) and duplicate. The association
 * to the company is a PUT of the default association: repeating it changes nothing.
 *
 * Risks are deals, not tickets: the seeds call a churn/downsell risk an "opport" (opportunity), a
 * deal carries the revenue at stake (`amount`) and closes as saved/lost through pipeline stages,
 * which is how the CS team reports on retention. Tickets are for support requests. The deals live
 * in a dedicated retention pipeline (its id and stage ids are configuration).
 */
import type { CompanyUpdate, CrmRecordRef, CrmRisk, CrmSync, CrmTask } from '../ports.ts';
import { isRetryableStatus, refusal, retryAfterSeconds, safeCode, VendorRejected, VendorUnavailable } from '../vendor-errors.ts';
import { callVendor, isRecord, type Fetch, type VendorAnswer } from '../vendor-http.ts';

export const HUBSPOT_API_URL = 'https://api.hubapi.com';
/** The unique-value custom property on tasks and deals that holds the ledger's id. */
export const DEFAULT_ID_PROPERTY = 'cs_playbooks_id';
export const DEFAULT_COMPANY_PROPERTIES = {
  planExpiresOn: 'cs_plan_expires_on',
  npsSurveySuppressed: 'cs_nps_survey_suppressed',
} as const;

export interface HubSpotConfig {
  /** Private app access token (`pat-…`), from Secrets Manager on AWS. Scopes: crm.objects.companies.read/write, crm.objects.deals.read/write, crm.objects.contacts.write (tasks). */
  accessToken: string;
  /** Defaults to https://api.hubapi.com; the tests point it at a local server. */
  apiUrl?: string | undefined;
  /** Unique-value property on tasks and deals holding the ledger id (default `cs_playbooks_id`). */
  idProperty?: string | undefined;
  /**
   * When accounts are not keyed by HubSpot company id: the company's unique property holding the
   * account id. Unset, the account id *is* the HubSpot company id (the CRM sync's own ids).
   */
  companyIdProperty?: string | undefined;
  /** The retention pipeline the risk deals live in, and its stage ids. */
  riskPipeline: string;
  riskStages: { open: string; saved: string; lost: string };
  /** Company property names for the account fields the playbooks set. */
  companyProperties?: Partial<Record<keyof typeof DEFAULT_COMPANY_PROPERTIES, string>> | undefined;
  timeoutMs?: number | undefined;
  fetch?: Fetch | undefined;
  now(): Date;
}

interface UpsertedRecord {
  id: string;
  created: boolean;
}

export class HubSpotCrm implements CrmSync {
  private readonly apiUrl: string;
  private readonly idProperty: string;
  private readonly companyProperties: Record<keyof typeof DEFAULT_COMPANY_PROPERTIES, string>;

  constructor(private readonly config: HubSpotConfig) {
    this.apiUrl = (config.apiUrl ?? HUBSPOT_API_URL).replace(/\/+$/, '');
    this.idProperty = config.idProperty ?? DEFAULT_ID_PROPERTY;
    this.companyProperties = { ...DEFAULT_COMPANY_PROPERTIES, ...config.companyProperties };
  }

  async upsertTask(task: CrmTask): Promise<CrmRecordRef> {
    const properties: Record<string, string> = {
      [this.idProperty]: task.idempotencyKey,
      hs_timestamp: new Date(task.dueAt).toISOString(),
      hs_task_subject: task.title,
      hs_task_type: taskType(task.kind),
    };
    if (task.body !== undefined) properties.hs_task_body = task.body;
    // HubSpot owner ids are numeric: an id from another system would make HubSpot refuse the task,
    // and an unassigned task in the CRM is better than none (the ledger keeps the single owner).
    if (task.ownerId !== undefined && /^\d+$/.test(task.ownerId)) properties.hubspot_owner_id = task.ownerId;
    if (task.status !== undefined) properties.hs_task_status = task.status === 'completed' ? 'COMPLETED' : 'NOT_STARTED';
    const record = await this.upsert('tasks', task.idempotencyKey, properties);
    await this.associateWithCompany('tasks', record.id, task.accountId);
    return { crmId: record.id, created: record.created };
  }

  async upsertRisk(risk: CrmRisk): Promise<CrmRecordRef> {
    const properties: Record<string, string> = {
      [this.idProperty]: risk.idempotencyKey,
      dealname: risk.title,
      pipeline: this.config.riskPipeline,
      dealstage: this.config.riskStages[risk.status],
      dealtype: 'existingbusiness',
    };
    if (risk.reason !== undefined) properties.description = risk.reason;
    if (risk.amountAtRisk !== undefined) properties.amount = String(risk.amountAtRisk);
    const record = await this.upsert('deals', risk.idempotencyKey, properties);
    await this.associateWithCompany('deals', record.id, risk.accountId);
    return { crmId: record.id, created: record.created };
  }

  async updateCompany(update: CompanyUpdate): Promise<void> {
    const properties: Record<string, string> = {};
    // HubSpot clears a property set to an empty string.
    if (update.planExpiresOn !== undefined) properties[this.companyProperties.planExpiresOn] = update.planExpiresOn ?? '';
    if (update.npsSurveySuppressed !== undefined) properties[this.companyProperties.npsSurveySuppressed] = String(update.npsSurveySuppressed);
    if (Object.keys(properties).length === 0) return;
    const query = this.config.companyIdProperty ? `?idProperty=${encodeURIComponent(this.config.companyIdProperty)}` : '';
    const operation = 'companies/update';
    const answer = await this.request(operation, 'PATCH', `/crm/v3/objects/companies/${encodeURIComponent(update.accountId)}${query}`, { properties });
    this.ensureSuccess(operation, answer);
  }

  private async upsert(objectType: 'tasks' | 'deals', key: string, properties: Record<string, string>): Promise<UpsertedRecord> {
    const operation = `${objectType}/batch/upsert`;
    const answer = await this.request(operation, 'POST', `/crm/v3/objects/${objectType}/batch/upsert`, {
      inputs: [{ idProperty: this.idProperty, id: key, properties }],
    });
    const body = this.ensureSuccess(operation, answer);
    const result = Array.isArray(body.results) ? body.results[0] : undefined;
    if (!isRecord(result) || typeof result.id !== 'string') {
      // A 2xx that says nothing about our record: nothing to link the ledger to. A person looks.
      throw new VendorRejected({ vendor: 'hubspot', operation, status: answer.status, code: 'NO_RESULT' });
    }
    return { id: result.id, created: result.new === true };
  }

  private async associateWithCompany(objectType: 'tasks' | 'deals', objectId: string, accountId: string): Promise<void> {
    const companyId = await this.companyId(accountId);
    const operation = `${objectType}/associations/default/companies`;
    const path = `/crm/v4/objects/${objectType}/${encodeURIComponent(objectId)}/associations/default/companies/${encodeURIComponent(companyId)}`;
    this.ensureSuccess(operation, await this.request(operation, 'PUT', path));
  }

  private async companyId(accountId: string): Promise<string> {
    if (!this.config.companyIdProperty) return accountId;
    const operation = 'companies/read';
    const answer = await this.request(
      operation,
      'GET',
      `/crm/v3/objects/companies/${encodeURIComponent(accountId)}?idProperty=${encodeURIComponent(this.config.companyIdProperty)}`,
    );
    const body = this.ensureSuccess(operation, answer);
    if (typeof body.id !== 'string') throw new VendorRejected({ vendor: 'hubspot', operation, status: answer.status, code: 'NO_RESULT' });
    return body.id;
  }

  private request(operation: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<VendorAnswer> {
    return callVendor({
      vendor: 'hubspot',
      operation,
      method,
      url: `${this.apiUrl}${path}`,
      headers: {
        Authorization: `Bearer ${this.config.accessToken}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.config.timeoutMs,
      fetch: this.config.fetch,
    });
  }

  /** The answer's body when HubSpot did what was asked; a classified error otherwise. */
  private ensureSuccess(operation: string, answer: VendorAnswer): Record<string, unknown> {
    const body = isRecord(answer.json) ? answer.json : {};
    if (isRetryableStatus(answer.status)) {
      const code = [safeCode(body.errorType ?? body.category), safeCode(body.policyName)].filter(Boolean).join(':') || undefined;
      throw new VendorUnavailable({
        vendor: 'hubspot',
        operation,
        status: answer.status,
        code,
        retryAfterSeconds: retryAfterSeconds(answer.headers.get('retry-after'), this.config.now()),
      });
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw refusal({ vendor: 'hubspot', operation, status: answer.status, code: safeCode(body.category) });
    }
    // Batch endpoints report per-input failures in `errors` (HTTP 207 when multi-status is on).
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (answer.status === 207 || errors.length > 0) {
      const first = isRecord(errors[0]) ? errors[0] : {};
      throw new VendorRejected({ vendor: 'hubspot', operation, status: answer.status, code: safeCode(first.category) ?? 'PARTIAL_FAILURE' });
    }
    return body;
  }
}

/** HubSpot's task types: calls are calls, the first reply is an e-mail, the rest is a to-do. */
function taskType(kind: CrmTask['kind']): 'CALL' | 'EMAIL' | 'TODO' {
  if (kind.endsWith('-call')) return 'CALL';
  if (kind === 'first-reply') return 'EMAIL';
  return 'TODO';
}
