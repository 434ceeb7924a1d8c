import { AccountRecord, DETAIL_TYPES, DetailSchemas, type DetailType, type DomainEventMessage } from '../../functions/contracts/index.ts';
import { ContractError, describeIssues, isoInstant, z } from '../../functions/contracts/zod.ts';

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
}

/** Parse a scenario file; every error names its place (`events[3].detail.score: …`). */
export function parseScenario(raw: unknown): Scenario {
  const result = ScenarioShape.safeParse(raw);
  if (!result.success) throw new ContractError('scenario', describeIssues(result.error));
  const { start, until, config, accounts, events } = result.data;
  const startMs = Date.parse(start);
  const problems: string[] = [];
  const parsed = events.flatMap((event, index) => {
    if (!('type' in event)) {
      // Vendor webhooks (Typeform, HubSpot, Slack, helpdesk) arrive with their adapters (issue 5).
      problems.push(`events[${index}]: vendor webhook "${event.webhook}" is not supported in scenarios yet; use { "type", "detail" }`);
      return [];
    }
    if (Date.parse(event.at) < startMs) problems.push(`events[${index}].at: ${event.at} is before the scenario start ${start}`);
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
  return { start, until, config, accounts, events: parsed };
}
