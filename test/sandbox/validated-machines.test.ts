import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// The interpreter validates every definition in StateMachine's constructor (seconds of CPU for the
// catalog). A text that passed is marked in node_modules/.cache and not validated again by a later
// process running the same interpreter. Each test takes a fresh copy of the module (a new process's
// view: no machine in memory) and a definition text no other run has seen.

async function freshModule() {
  vi.resetModules();
  return import('../../sandbox/engine/validated-machines.ts');
}

/** A definition text of its own: its Comment makes it unique, so no earlier run marked it. */
function uniqueDefinition(states: Record<string, unknown>): string {
  return JSON.stringify({ Comment: `validated-machines test ${randomUUID()}`, StartAt: Object.keys(states)[0], States: states });
}

const valid = () => uniqueDefinition({ Done: { Type: 'Pass', Result: { ok: true }, End: true } });
// A Pass state with neither Next nor End: the validator refuses it.
const invalid = () => uniqueDefinition({ Dangling: { Type: 'Pass' } });

describe('state machines validated once per definition text and interpreter', () => {
  it('given a valid definition never seen, when a process builds it, then it is validated, runs, and is marked for the next process', async () => {
    const definition = valid();
    const { validatedStateMachine, validationMarker } = await freshModule();
    const marker = await validationMarker(definition);
    expect(existsSync(marker)).toBe(false);

    const machine = await validatedStateMachine(definition);

    await expect(machine.run({}).result).resolves.toEqual({ ok: true });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });

  it('given an invalid definition, when two processes build it, then both refuse it with the validator\'s reason, and nothing is marked', async () => {
    const definition = invalid();
    for (let process = 1; process <= 2; process++) {
      const { validatedStateMachine, validationMarker } = await freshModule();
      await expect(validatedStateMachine(definition)).rejects.toThrow(/State machine definition is invalid/);
      // Refused again in the same process: a refusal is not kept as a machine.
      await expect(validatedStateMachine(definition)).rejects.toThrow(/State machine definition is invalid/);
      expect(existsSync(await validationMarker(definition))).toBe(false);
    }
  });

  it('given a text marked as passed, when a process builds it, then the mark is trusted and the validator does not run (which is why only a validation writes a mark)', async () => {
    // An invalid text marked by hand shows the mark is what decides: it is built without a check.
    const definition = invalid();
    const { validatedStateMachine, validationMarker } = await freshModule();
    const marker = await validationMarker(definition);
    mkdirSync(path.dirname(marker), { recursive: true });
    writeFileSync(marker, '');

    await expect(validatedStateMachine(definition)).resolves.toBeDefined();
    rmSync(marker);
  });

  it('given the same text, when its digest is taken, then it names this interpreter bundle and that exact text (one changed character is another mark)', async () => {
    const definition = valid();
    const { validationMarker } = await freshModule();
    const marker = await validationMarker(definition);
    expect(marker).toContain(path.join('node_modules', '.cache', 'cs-playbooks', 'validated'));
    expect(await validationMarker(definition)).toBe(marker);
    expect(await validationMarker(definition.replace('"ok":true', '"ok":false'))).not.toBe(marker);
  });
});
