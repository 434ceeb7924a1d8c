import {
  AccountRecord,
  ApprovalDecisionRequest,
  ApprovalEdits,
  ApprovalKind,
  APPROVAL_ID,
  DETAIL_TYPES,
  DetailSchemas,
  isDetailType,
  type DetailType,
  type DomainEventMessage,
} from '../../functions/contracts/index.ts';
import { ContractError, describeIssues, formatPath, isoInstant, z } from '../../functions/contracts/zod.ts';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { accountFactOf, type AccountFactEvent } from '../../functions/core/accounts/account-facts.ts';
import { mergeAccountUpdate, type AccountState } from '../../functions/core/accounts/merge-update.ts';
import { approvalId } from '../../functions/core/tasks/identity.ts';
import { EVENTS_PATH, forbiddenPublication } from '../../functions/ingest/senders.ts';
import { WebhookRejected } from '../../functions/ingest/vendor.ts';
import { VENDOR_IDS, VENDORS } from '../../functions/ingest/vendors/index.ts';
import { didYouMean } from '../did-you-mean.ts';

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
  // Each event is told apart by its keys and parsed on its own: a union's error would only say "Invalid input".
  events: z.array(z.unknown()),
});

const DomainEventEntry = z.object({ at: isoInstant(), type: z.string(), detail: z.unknown() });
const WebhookEntry = z.object({ at: isoInstant(), webhook: z.string(), headers: z.optional(z.record(z.string(), z.string())), body: z.unknown() });
const ApprovalEntry = z.object({ at: isoInstant(), approve: ScenarioApproval });

const EVENT_KINDS = 'an event has "at" and either "type" and "detail" (a domain event), "webhook" and "body" (a vendor\'s payload) or "approve" (a CSM\'s decision)';

export interface Scenario {
  start: string;
  until?: string | undefined;
  config?: Record<string, unknown> | undefined;
  accounts: AccountRecord[];
  /** Domain events, in delivery order, each at its virtual time. */
  events: { at: number; message: DomainEventMessage }[];
  /** The CSM's approval decisions, in order, each at its virtual time. */
  approvals: { at: number; decision: ApprovalDecisionRequest }[];
  /**
   * What the run will do that the author may not expect, one line each naming its place: an event
   * after `until` (never delivered), an event for an account the scenario does not have. Printed on
   * stderr and kept in the report's `warnings`.
   */
  warnings: string[];
}

/** A domain event of the file, with the place that says its account (`events[3].detail.accountId`, `events[5].body`). */
interface PlacedEvent {
  at: number;
  message: DomainEventMessage;
  place: string;
}

/** Parse a scenario file; every error names its place (`events[3].detail.score: …`). */
export function parseScenario(raw: unknown): Scenario {
  const result = ScenarioShape.safeParse(raw);
  if (!result.success) throw new ContractError('scenario', describeIssues(result.error));
  const { start, until, config, accounts, events } = result.data;
  const startMs = Date.parse(start);
  const problems: string[] = [];
  if (until && Date.parse(until) < startMs) problems.push(`until: ${until} is before the scenario start ${start}`);
  const approvals: Scenario['approvals'] = [];
  const times: { at: number; place: string; written: string }[] = [];
  const parsed = events.flatMap((event, index): PlacedEvent[] => {
    const place = formatPath(['events', index]);
    const entry = eventEntry(event, index, problems);
    if (!entry) return [];
    const at = Date.parse(entry.at);
    times.push({ at, place: `${place}.at`, written: entry.at });
    if (at < startMs) problems.push(`${place}.at: ${entry.at} is before the scenario start ${start}`);
    if ('approve' in entry) {
      const decision = scenarioDecision(entry.approve, ['events', index, 'approve'], problems);
      if (decision) approvals.push({ at, decision });
      return [];
    }
    if ('webhook' in entry) return vendorEvents(entry, place, problems).map((message) => ({ at, message, place: `${place}.body` }));
    const detail = DetailSchemas[entry.type].safeParse(entry.detail);
    if (!detail.success) {
      problems.push(...describeIssues(detail.error, ['events', index, 'detail']));
      return [];
    }
    return [{ at, message: { type: entry.type, timestamp: entry.at, data: detail.data } as DomainEventMessage, place: `${place}.detail.accountId` }];
  });
  if (problems.length > 0) throw new ContractError('scenario', problems);
  // Stable: events at the same instant keep their order in the file.
  parsed.sort((a, b) => a.at - b.at);
  approvals.sort((a, b) => a.at - b.at);
  const untilMs = until === undefined ? undefined : Date.parse(until);
  const delivered = parsed.filter(({ at }) => untilMs === undefined || at <= untilMs);
  const warnings = [...afterUntil(times, until), ...unknownAccounts(delivered, accounts)];
  return { start, until, config, accounts, events: parsed.map(({ at, message }) => ({ at, message })), approvals, warnings };
}

/** One event of the file, told apart by its keys; what is wrong with it goes to `problems`. */
function eventEntry(event: unknown, index: number, problems: string[]) {
  const place = formatPath(['events', index]);
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    problems.push(`${place}: expected an object; ${EVENT_KINDS}`);
    return undefined;
  }
  const kind = 'type' in event ? DomainEventEntry : 'webhook' in event ? WebhookEntry : 'approve' in event ? ApprovalEntry : undefined;
  if (!kind) {
    problems.push(`${place}: ${EVENT_KINDS}`);
    return undefined;
  }
  const entry = kind.safeParse(event);
  if (!entry.success) {
    problems.push(...describeIssues(entry.error, ['events', index]));
    return undefined;
  }
  if ('type' in entry.data && !isDetailType(entry.data.type)) {
    const { type } = entry.data;
    problems.push(`${place}.type: unknown detail-type "${type}"${didYouMean(type, DETAIL_TYPES)}; the detail-types are ${DETAIL_TYPES.join(', ')}`);
    return undefined;
  }
  return entry.data as z.infer<typeof WebhookEntry> | z.infer<typeof ApprovalEntry> | (z.infer<typeof DomainEventEntry> & { type: DetailType });
}

/**
 * Events after `until` are never delivered (the run stops there): a warning, not an error, because
 * shortening `until` is how an author looks at a rehearsal at a given moment; but never silently.
 */
function afterUntil(events: { at: number; place: string; written: string }[], until: string | undefined): string[] {
  if (until === undefined) return [];
  return events
    .filter(({ at }) => at > Date.parse(until))
    .map(({ place, written }) => `${place}: ${written} is after "until" (${until}): never delivered; move it before "until", or "until" after it`);
}

/** The events account-sync merges into the account record: its triggers in the catalog. */
const ACCOUNT_FACTS: ReadonlySet<string> = new Set(PLAYBOOKS.find((playbook) => playbook.id === 'account-sync')!.trigger);
const isAccountFact = (message: DomainEventMessage) => ACCOUNT_FACTS.has(message.type);

/**
 * Events for an account the run does not know when they arrive: not in `accounts`, and not completed by
 * the scenario's earlier account facts (CRM updates, a signed contract, the first invoice, merged). A warning, not an error: it is what happens
 * when a vendor is ahead of the CRM sync, and a rehearsal may mean it (the playbook waits for the
 * account, about an hour of retries, then fails visibly); one line per account, naming its events.
 */
function unknownAccounts(events: PlacedEvent[], accounts: readonly AccountRecord[]): string[] {
  const known = new Set(accounts.map(({ id }) => id));
  // What the scenario's account facts have told the ledger so far, merged as account-sync merges them:
  // several partial updates (a contract, then the CRM's fields) may complete an account between them.
  const pending = new Map<string, AccountState>();
  const unknown = new Map<string, string[]>();
  for (const { at, message, place } of events) {
    const { accountId } = message.data;
    if (known.has(accountId)) continue;
    if (isAccountFact(message)) {
      const { patch, at: factAt } = accountFactOf({ detailType: message.type, time: new Date(at).toISOString(), detail: message.data } as AccountFactEvent);
      const merged = mergeAccountUpdate(pending.get(accountId) ?? { record: {}, fieldTimes: {} }, patch, factAt);
      pending.set(accountId, merged);
      if (AccountRecord.safeParse({ ...merged.record, id: accountId }).success) {
        known.add(accountId);
        continue;
      }
    }
    unknown.set(accountId, [...(unknown.get(accountId) ?? []), place]);
  }
  return [...unknown].map(
    ([accountId, places]) =>
      `${places.join(', ')}: account "${accountId}" is not in "accounts" and no earlier complete AccountUpdated creates it: its playbooks wait for it (about an hour of retries), then fail; add it to "accounts" unless that is what you rehearse`,
  );
}

/**
 * A vendor's webhook in a scenario (`{ at, webhook: "typeform", headers?, body }`), turned into domain
 * events by the vendor's own translation, as the ingest does. Its signature is not checked: a scenario
 * is the team's own file, and the endpoint's signatures have their tests; what a rehearsal exercises is
 * what the vendor's payload becomes. Who may say what holds as at the door (functions/ingest/senders.ts):
 * what the vendor's webhooks never make, an approval or an acknowledgement through `/webhooks/events`,
 * a flood from any sender, is the scenario's error, not a rehearsal of something the stage would accept.
 * A body that is a string is sent as is (Slack's form encoding).
 */
function vendorEvents(event: z.infer<typeof WebhookEntry>, place: string, problems: string[]): DomainEventMessage[] {
  const vendor = Object.hasOwn(VENDORS, event.webhook) ? VENDORS[event.webhook]! : undefined;
  if (!vendor) {
    problems.push(`${place}.webhook: unknown vendor "${event.webhook}"${didYouMean(event.webhook, VENDOR_IDS)}; the vendors are ${VENDOR_IDS.join(', ')}`);
    return [];
  }
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  headers['content-type'] ??= vendor.contentTypes[0]!;
  const rawBody = Buffer.from(typeof event.body === 'string' ? event.body : JSON.stringify(event.body), 'utf8');
  try {
    const translated = vendor.translate({ method: 'POST', url: `http://127.0.0.1/webhooks/${vendor.id}`, headers, rawBody }, { now: new Date(event.at) });
    if ('reply' in translated) return [];
    // Any sender of /webhooks/events as far as the lists go (the scenario names none); a vendor what it makes.
    const SCENARIO = 'scenario';
    const senders = { [vendor.id === EVENTS_PATH ? SCENARIO : vendor.id]: vendor.id === EVENTS_PATH ? DETAIL_TYPES : vendor.produces };
    const forbidden = forbiddenPublication(vendor.id, senders, Object.keys(senders), translated.events.map((message) => message.type));
    if (forbidden) {
      problems.push(`${place}.body: ${forbidden.replace(/\. Nothing of this delivery was accepted$/, '')}`);
      return [];
    }
    return translated.events;
  } catch (error) {
    if (error instanceof ContractError) problems.push(...error.problems.map((problem) => `${place}.body: ${problem}`));
    else if (error instanceof WebhookRejected) problems.push(`${place}.body: ${error.message}`, ...error.details.map((detail) => `${place}.body: ${detail}`));
    else problems.push(`${place}.body: ${(error as Error).message}`);
    return [];
  }
}

function scenarioDecision(approve: z.infer<typeof ScenarioApproval>, path: (string | number)[], problems: string[]): ApprovalDecisionRequest | undefined {
  const place = formatPath(path);
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
    problems.push(...describeIssues(decision.error, path));
    return undefined;
  }
  return decision.data;
}
