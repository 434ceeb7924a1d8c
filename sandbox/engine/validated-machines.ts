/**
 * State machines from definition texts, validated once per text and interpreter, across processes.
 *
 * The interpreter validates a definition in `StateMachine`'s constructor, as Step Functions does on
 * deploy. Its validator (asl-validator) compiles its JSON schemas anew at every call: 150–500 ms per
 * definition, 2.7 s of CPU for the catalog, paid by every `playbooks simulate`, `npm start` and test
 * process. The outcome depends on nothing but the definition text and the validator's code, so a
 * text that passed once is marked passed in node_modules/.cache (beside the interpreter bundle,
 * keyed by a digest of both); later processes build it with `noValidate`. A changed definition, or
 * a reinstalled interpreter, has another digest and is validated again. A definition that fails
 * validation is never marked: it throws, every time.
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { interpreterCacheDir, interpreterDigest, loadStateMachineClass } from './interpreter.ts';

/** One machine per definition text in a process: it holds no execution state (a test suite starts hundreds of sandboxes). */
const machines = new Map<string, Promise<StateMachine>>();

/** The interpreter's `StateMachine` for `definition` (JSON text), validated unless this interpreter already passed that exact text. */
export function validatedStateMachine(definition: string): Promise<StateMachine> {
  let machine = machines.get(definition);
  if (!machine) {
    machine = build(definition);
    machines.set(definition, machine);
    // A refused definition is refused again next time, not served from the map.
    machine.catch(() => machines.delete(definition));
  }
  return machine;
}

/**
 * `definition` (a validated definition's JSON text) started at `state`, for a redrive: the states before
 * it are unreachable from there, which the validator refuses, but the definition is the one that passed.
 */
export function machineStartingAt(definition: string, state: string): Promise<StateMachine> {
  const key = `${definition}\0${state}`;
  let machine = machines.get(key);
  if (!machine) {
    machine = loadStateMachineClass().then((StateMachineClass) => new StateMachineClass({ ...(JSON.parse(definition) as object), StartAt: state } as never, { validationOptions: { noValidate: true } }));
    machines.set(key, machine);
  }
  return machine;
}

async function build(definition: string): Promise<StateMachine> {
  const [StateMachineClass, marker] = await Promise.all([loadStateMachineClass(), validationMarker(definition)]);
  if (existsSync(marker)) return new StateMachineClass(JSON.parse(definition) as never, { validationOptions: { noValidate: true } });
  const machine = new StateMachineClass(JSON.parse(definition) as never);
  markPassed(marker);
  return machine;
}

/** Where the mark of `definition` (its exact text) having passed this interpreter's validation lives. */
export async function validationMarker(definition: string): Promise<string> {
  const key = createHash('sha256').update(await interpreterDigest()).update('\0').update(definition).digest('hex');
  return path.join(interpreterCacheDir(), 'validated', key);
}

/** An empty file: its existence is the whole mark, so concurrent writers (vitest workers) cannot tear it. */
function markPassed(marker: string): void {
  try {
    mkdirSync(path.dirname(marker), { recursive: true });
    writeFileSync(marker, '');
  } catch {
    // A read-only node_modules only costs the next process a validation.
  }
}
