import { describe, expect, it } from 'vitest';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { WAITS_FOR } from '../../sandbox/report/waits.ts';
import { everyState, readDefinition, taskStateFunctions, type AslDefinition } from '../../sandbox/runtime/definitions.ts';

// What a running execution waits for, in the report's words: every state an execution can wait in
// (a Wait state, a `.waitForTaskToken` Task) has them, read from the definitions the catalog deploys (its flow files, built).

/** The states an execution of `playbook` can wait in, by name. */
function waitingStates(playbook: (typeof PLAYBOOKS)[number]): string[] {
  const definition = JSON.parse(readDefinition(playbook).substituted) as AslDefinition;
  const callbacks = [...taskStateFunctions(definition)].filter(([, binding]) => binding.integration === 'waitForTaskToken').map(([state]) => state);
  const waits = everyState(definition).filter(([, state]) => state.Type === 'Wait').map(([state]) => state);
  return [...waits, ...callbacks].sort();
}

describe('the words for what a running execution waits for', () => {
  it.each(PLAYBOOKS.map((playbook) => [playbook.id, playbook] as const))('given the ASL of %s, then each state it can wait in has its words, and no words are left for a state it no longer has', (id, playbook) => {
    expect(Object.keys(WAITS_FOR[id] ?? {}).sort()).toEqual(waitingStates(playbook));
  });

  it('given the words, then each names a playbook of the catalog', () => {
    expect(Object.keys(WAITS_FOR).filter((id) => !PLAYBOOKS.some((playbook) => playbook.id === id))).toEqual([]);
  });
});
