import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { parseContract, type Settings } from '../contracts/index.ts';
import type { z } from '../contracts/zod.ts';
import { asAwsUnavailable } from '../adapters/aws-unavailable.ts';
import type { Ledger } from '../adapters/ledger.ts';
import { holdsSealed, openSealed } from '../adapters/sealed.ts';
import type { OutboundPorts, PortName } from '../adapters/ports.ts';
import type { TaskCallbacks } from '../adapters/step-functions/task-callbacks.ts';
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
 * what the contract keeps is opened: a step handed a whole event whose contract reads its ids only
 * (`start-no-contact-check` and an AccountUpdated's sealed contacts) reads nothing, and its role needs
 * no grant to.
 */
async function inputOf<S extends z.ZodMiniType>(fn: PlaybookFunction<S, unknown, PortName>, ledger: Ledger, raw: unknown): Promise<z.infer<S>> {
  const first = fn.input.safeParse(raw);
  const kept = first.success ? first.data : raw;
  if (!holdsSealed(kept)) return first.success ? first.data : parseContract(fn.input, raw, `${fn.id} input`);
  return parseContract(fn.input, await openSealed(ledger, kept), `${fn.id} input`);
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
