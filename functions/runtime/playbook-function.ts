import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { parseContract, type Settings } from '../contracts/index.ts';
import type { z } from '../contracts/zod.ts';
import { asAwsUnavailable } from '../adapters/aws-unavailable.ts';
import type { Ledger } from '../adapters/ledger.ts';
import { holdsSealed, openSealed } from '../adapters/sealed.ts';
import { isSealed } from '../contracts/sealed.ts';
import type { OutboundPorts, PortName } from '../adapters/ports.ts';
import type { TaskCallbacks } from '../adapters/step-functions/task-callbacks.ts';
import type { DomainEvents } from '../adapters/domain-events.ts';
import type { BusinessCalendar } from '../core/calendar/business-time.ts';

/** What a playbook function may use. Lambda builds it from its environment, the sandbox from its own. */
export interface PlaybookDeps {
  ledger: Ledger;
  /** The clock: wall time on AWS, the virtual clock in a simulation. Never `new Date()` in a function. */
  now(): Date;
  settings: Settings;
  calendar: BusinessCalendar;
  logger: Logger;
  metrics: Metrics;
  /**
   * The CRM, the alert channel and the mailer: the real adapter when the stage configures the vendor,
   * the ledger's outbox otherwise. A Lambda wires only the ports its function names (`ports`), so its
   * bundle carries only that vendor; using another one is an error, not a silent outbox.
   */
  ports: OutboundPorts;
  /**
   * Resumes executions parked on a `.waitForTaskToken` Task (Step Functions on AWS, the interpreter in
   * the sandbox). Only the functions that need it get it: on AWS its handler passes it, so that no
   * other bundle carries the code and no other role the permission.
   */
  callbacks?: TaskCallbacks | undefined;
  /**
   * Puts the domain events a function derives on the bus (EventBridge on AWS, the sandbox's bus). Only
   * the actions that name what they publish get it (lib/functions.ts `publishes`), and their role the grant.
   */
  events?: DomainEvents | undefined;
}

/**
 * A function a playbook's Task states call: its input contract and its body. The body is the same
 * on both runtimes; only `PlaybookDeps` differ.
 */
export interface PlaybookFunction<S extends z.ZodMiniType = z.ZodMiniType, O = unknown, P extends PortName = PortName> {
  readonly id: string;
  readonly input: S;
  /** The outbound ports it calls (after the ledger): its Lambda wires these, and its stack grants their secret. */
  readonly ports?: readonly P[];
  run(input: z.infer<S>, deps: PlaybookDeps): Promise<O>;
}

export function definePlaybookFunction<S extends z.ZodMiniType, O, const P extends PortName = never>(
  fn: PlaybookFunction<S, O, P>,
): PlaybookFunction<S, O, P> {
  return fn;
}

/**
 * The function's input: the raw input validated against its contract, the sealed values it reads opened
 * (functions/adapters/sealed.ts: the function sees an NPS comment, execution state only its id). Only
 * what the contract reads is opened: a reference where the contract wants a value (the paths its
 * refusal names), or one a contract keeps as it is. A step handed a whole event whose contract reads
 * its ids only (`start-no-contact-check` and an AccountUpdated's sealed contacts) reads nothing, valid
 * input or not, and its role needs no grant to. References open only to the step's own account.
 */
async function inputOf<S extends z.ZodMiniType>(fn: PlaybookFunction<S, unknown, PortName>, ledger: Ledger, raw: unknown): Promise<z.infer<S>> {
  const what = `${fn.id} input`;
  const accountId = accountOf(raw);
  let value = raw;
  // Each round opens the references a refusal points at; a value can hold references in turn (at most a few deep).
  for (let round = 0; round < 4; round++) {
    const parsed = fn.input.safeParse(value);
    if (parsed.success) return holdsSealed(parsed.data) ? parseContract(fn.input, await openSealed(ledger, parsed.data, accountId), what) : parsed.data;
    // No reference left: the input is wrong as sent (checked before any read, the refusal as it stands).
    if (!holdsSealed(value)) break;
    const opened = await openAt(ledger, value, parsed.error.issues.map((issue) => issue.path), accountId);
    if (opened === undefined) break;
    value = opened;
  }
  return parseContract(fn.input, value, what);
}

/** The account a step works on: its input's `accountId`, or its event's. */
function accountOf(raw: unknown): string | undefined {
  const { accountId, detail } = (typeof raw === 'object' && raw !== null ? raw : {}) as { accountId?: unknown; detail?: { accountId?: unknown } };
  const id = accountId ?? detail?.accountId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * `value` with the references on each of `paths` opened: the first one on the path, else those under the
 * value it names (a union refused whole: `["… raised by the CRM:", { sealed }]`). Undefined when none
 * of the paths leads to one.
 */
async function openAt(ledger: Ledger, value: unknown, paths: readonly (readonly PropertyKey[])[], accountId: string | undefined): Promise<unknown> {
  const root = { value: structuredClone(value) as unknown };
  let opened = false;
  for (const path of paths) {
    let parent: Record<PropertyKey, unknown> = root;
    let key: PropertyKey = 'value';
    for (const next of [...path, undefined]) {
      const node = parent[key];
      if (isSealed(node) || (next === undefined && holdsSealed(node))) {
        const open = await openSealed(ledger, node, accountId);
        if (open === undefined) delete parent[key];
        else parent[key] = open;
        opened = true;
        break;
      }
      if (next === undefined || typeof node !== 'object' || node === null) break;
      parent = node as Record<PropertyKey, unknown>;
      key = next;
    }
  }
  return opened ? root.value : undefined;
}

/**
 * Validate the raw input against the function's contract (its sealed values opened), then run it. A
 * bad input rejects, as a failed run does; an AWS service throttled or failing rejects as
 * `AwsServiceUnavailable`, the name the failure policies wait out an outage for.
 */
export async function invoke<S extends z.ZodMiniType, O>(fn: PlaybookFunction<S, O, PortName>, deps: PlaybookDeps, raw: unknown): Promise<O> {
  try {
    const input = await inputOf(fn, deps.ledger, raw);
    return await fn.run(input, deps);
  } catch (error) {
    throw asAwsUnavailable(error);
  }
}
