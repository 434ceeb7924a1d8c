import { PLAYBOOKS } from '../../lib/catalog.ts';
import { playbookDefinition } from '../../lib/flow.ts';

/** A catalog playbook's definition as it deploys: its flow file built with the failure policies (lib/flow.ts). */
export function builtFlow(playbookId: (typeof PLAYBOOKS)[number]['id']): string {
  const playbook = PLAYBOOKS.find((entry) => entry.id === playbookId);
  if (!playbook) throw new Error(`No playbook ${playbookId} in the catalog`);
  return playbookDefinition(playbook);
}
