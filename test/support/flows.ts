import { PLAYBOOKS } from '../../lib/catalog.ts';
import { playbookDefinition } from '../../lib/flow.ts';

/** A catalog playbook's definition as it deploys: its flow file built with the failure policies (lib/flow.ts). */
export function builtFlow(playbookId: (typeof PLAYBOOKS)[number]['id']): string {
  const playbook = PLAYBOOKS.find((entry) => entry.id === playbookId);
  if (!playbook) throw new Error(`No playbook ${playbookId} in the catalog`);
  return playbookDefinition(playbook);
}

/**
 * What a built Task state hands its action: the `input` of the `{ action, input }` request lib/flow.ts
 * writes (in `Parameters`, or `Parameters.Payload` for a callback), i.e. the Parameters the flow file
 * wrote. Undefined for a Task that calls no action (a hand-over) or passes its whole input.
 */
export function actionInput(state: { Resource?: unknown; Parameters?: unknown }): Record<string, unknown> | undefined {
  const parameters = state.Parameters as { Payload?: { input?: unknown }; input?: unknown } | undefined;
  const request = String(state.Resource).endsWith('.waitForTaskToken') ? parameters?.Payload : parameters;
  return request?.input as Record<string, unknown> | undefined;
}
