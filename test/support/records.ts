import { AccountRecord } from '../../functions/contracts/index.ts';
import type { TaskRequest } from '../../functions/core/tasks/task.ts';

/** Clara Petit, the champion of the Paris accounts below (invented name, example.com). */
export const CLARA = { id: 'ct-clara', email: 'clara.petit@example.com', name: 'Clara Petit', role: 'champion' } as const;

const ATELIER_RIVE_GAUCHE = 'acc-atelier-rive';

/**
 * An account in Paris owned by Léa (CSM) and Marc (team lead), Clara its champion, parsed through the
 * AccountRecord contract, with overrides. No salesperson and no onboarding AM unless an override adds one.
 */
export function aParisAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return AccountRecord.parse({
    id: ATELIER_RIVE_GAUCHE,
    name: 'Atelier Rive Gauche',
    country: 'FR',
    timezone: 'Europe/Paris',
    language: 'fr',
    csmId: 'csm-lea',
    teamLeadId: 'lead-marc',
    mrr: 450,
    contacts: [CLARA],
    ...overrides,
  });
}

/** A task for today, for the CSM of the account above, after an NPS answer: what the nps-response playbook asks. */
export function aTaskRequest(overrides: Partial<TaskRequest> = {}): TaskRequest {
  return {
    accountId: ATELIER_RIVE_GAUCHE,
    playbook: 'nps-response',
    kind: 'detractor-context-review',
    ownerRole: 'csm',
    reason: 'evt-nps-1',
    due: { rule: 'today' },
    ...overrides,
  };
}
