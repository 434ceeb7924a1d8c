import {
  AccountRecord,
  ApprovalDecisionRequest,
  ApprovalEdits,
  ApprovalKind,
  APPROVAL_ID,
  DETAIL_TYPES,
  DetailSchemas,
  type DetailType,
  type DomainEventMessage,
} from '../../functions/contracts/index.ts';
import { ContractError, describeIssues, isoInstant, z } from '../../functions/contracts/zod.ts';
import { approvalId } from '../../functions/core/tasks/identity.ts';
import { WebhookRejected } from '../../functions/ingest/vendor.ts';
import { VENDOR_IDS, VENDORS } from '../../functions/ingest/vendors/index.ts';

/**
 * A CSM's decision on an e-mail put up for approval, at its virtual time: the approval is named by its
 * id, or by what it approves (account, playbook, reason — the triggering event's id — and kind).
 * What a rehearsal uses to fast-forward through approval mode. It must come after the request.
 */
const ScenarioApproval = z.object({
  approvalId: z.optional(z.string().check(z.regex(APPROVAL_ID, 'expected an approval id, apr- then 20 hex digits'))),
  accountId: z.optional(z.string().check(z.minLength(1))),
  playbook: z.optional(z.string().check(z.minLength(1))),
  reason: z.optional(z.string().check(z.minLength(1))),
  kind: z.optional(ApprovalKind),
  decision: z.optional(z.enum(['approve', 'cancel'])),
  edits: z.optional(ApprovalEdits),
  decidedBy: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

const ScenarioShape = z.object({
  start: isoInstant(),
  until: z.optional(isoInstant()),
  /** Partial settings, deep-merged over the defaults. */
  config: z.optional(z.record(z.string(), z.unknown())),
  accounts: z.array(AccountRecord),
  events: z.array(
    z.union([
      z.object({ at: isoInstant(), type: z.enum(DETAIL_TYPES as [DetailType, ...DetailType[]]), detail: z.unknown() }),
      z.object({ at: isoInstant(), webhook: z.string(), headers: z.optional(z.record(z.string(), z.string())), body: z.unknown() }),
      z.object({ at: isoInstant(), approve: ScenarioApproval }),
    ]),
  ),
});

export interface Scenario {
  start: string;
  until?: string | undefined;
  config?: Record<string, unknown> | undefined;
  accounts: AccountRecord[];
  /** Domain events, in delivery order, each at its virtual time. */
  events: { at: number; message: DomainEventMessage }[];
  /** The CSM's approval decisions, in order, each at its virtual time. */
  approvals: { at: number; decision: ApprovalDecisionRequest }[];
}

/** Parse a scenario file; every error names its place (`events[3].detail.score: …`). */
export function parseScenario(raw: unknown): Scenario {
  const result = ScenarioShape.safeParse(raw);
  if (!result.success) throw new ContractError('scenario', describeIssues(result.error));
  const { start, until, config, accounts, events } = result.data;
  const startMs = Date.parse(start);
  const problems: string[] = [];
  const approvals: Scenario['approvals'] = [];
  const parsed = events.flatMap((event, index) => {
    if ('approve' in event) {
      if (Date.parse(event.at) < startMs) problems.push(`events[${index}].at: ${event.at} is before the scenario start ${start}`);
      const decision = scenarioDecision(event.approve, `events[${index}].approve`, problems);
      if (decision) approvals.push({ at: Date.parse(event.at), decision });
      return [];
    }
    if (Date.parse(event.at) < startMs) problems.push(`events[${index}].at: ${event.at} is before the scenario start ${start}`);
    if (!('type' in event)) return vendorEvents(event, `events[${index}]`, problems).map((message) => ({ at: Date.parse(event.at), message }));
    const detail = DetailSchemas[event.type].safeParse(event.detail);
    if (!detail.success) {
      problems.push(...describeIssues(detail.error, [`events[${index}]`, 'detail']));
      return [];
    }
    return [{ at: Date.parse(event.at), message: { type: event.type, timestamp: event.at, data: detail.data } as DomainEventMessage }];
  });
  if (until && Date.parse(until) < startMs) problems.push(`until: ${until} is before the scenario start ${start}`);
  if (problems.length > 0) throw new ContractError('scenario', problems);
  // Stable: events at the same instant keep their order in the file.
  parsed.sort((a, b) => a.at - b.at);
  approvals.sort((a, b) => a.at - b.at);
  return { start, until, config, accounts, events: parsed, approvals };
}

/**
 * A vendor's webhook in a scenario (`{ at, webhook: "typeform", headers?, body }`), turned into domain
 * events by the vendor's own translation, as the ingest does. Its signature is not checked: a scenario
 * is the team's own file, and the endpoint's signatures have their tests; what a rehearsal exercises is
 * what the vendor's payload becomes. A body that is a string is sent as is (Slack's form encoding).
 */
function vendorEvents(event: { at: string; webhook: string; headers?: Record<string, string> | undefined; body: unknown }, place: string, problems: string[]): DomainEventMessage[] {
  const vendor = Object.hasOwn(VENDORS, event.webhook) ? VENDORS[event.webhook]! : undefined;
  if (!vendor) {
    problems.push(`${place}.webhook: unknown vendor "${event.webhook}"; the vendors are ${VENDOR_IDS.join(', ')}`);
    return [];
  }
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  headers['content-type'] ??= vendor.contentTypes[0]!;
  const rawBody = Buffer.from(typeof event.body === 'string' ? event.body : JSON.stringify(event.body), 'utf8');
  try {
    const translated = vendor.translate({ method: 'POST', url: `http://127.0.0.1/webhooks/${vendor.id}`, headers, rawBody }, { now: new Date(event.at) });
    return 'reply' in translated ? [] : translated.events;
  } catch (error) {
    if (error instanceof ContractError) problems.push(...error.problems.map((problem) => `${place}.body: ${problem}`));
    else if (error instanceof WebhookRejected) problems.push(`${place}.body: ${error.message}`, ...error.details.map((detail) => `${place}.body: ${detail}`));
    else problems.push(`${place}.body: ${(error as Error).message}`);
    return [];
  }
}

function scenarioDecision(approve: z.infer<typeof ScenarioApproval>, place: string, problems: string[]): ApprovalDecisionRequest | undefined {
  const { accountId, playbook, reason, kind = 'email' } = approve;
  let id = approve.approvalId;
  if (id === undefined) {
    const missing = (['accountId', 'playbook', 'reason'] as const).filter((field) => approve[field] === undefined);
    if (missing.length > 0) {
      problems.push(`${place}: name the approval by "approvalId", or by "accountId", "playbook" and "reason" (missing ${missing.join(', ')})`);
      return undefined;
    }
    id = approvalId({ accountId: accountId!, playbook: playbook!, kind, reason: reason! });
  }
  const decision = ApprovalDecisionRequest.safeParse({
    approvalId: id,
    decision: approve.decision ?? 'approve',
    ...(approve.edits ? { edits: approve.edits } : {}),
    decidedBy: approve.decidedBy ?? 'scenario',
  });
  if (!decision.success) {
    problems.push(...describeIssues(decision.error, place.split('.')));
    return undefined;
  }
  return decision.data;
}
