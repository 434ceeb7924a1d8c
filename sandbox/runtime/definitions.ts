import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, selfSubstitutionOf, START_EXECUTION_RESOURCE, SUBSTITUTION_TOKEN, substitutionsOf, type FunctionId, type PlaybookEntry } from '../../lib/catalog.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

/** The ARN the sandbox gives a function in place of the deployed one. */
export function localFunctionArn(functionId: FunctionId): string {
  return `arn:aws:lambda:eu-west-3:000000000000:function:cs-playbooks-sandbox-${functionId}`;
}

/** The ARN the sandbox gives a playbook's state machine (what `${<Playbook>StateMachineArn}` becomes). */
export function localStateMachineArn(playbookId: string): string {
  return `arn:aws:states:local:000000000000:stateMachine:${playbookId}`;
}

export interface Definition {
  /** The ASL text as read, before substitution. */
  raw: string;
  substituted: string;
  /** `${…}` key → the catalog function the sandbox put there. */
  substitutions: Map<string, FunctionId>;
  /** `${…}` key → the playbook whose state machine ARN the sandbox put there (a playbook that starts itself). */
  stateMachineSubstitutions: Map<string, string>;
}

/**
 * The ASL file as deployed: the same file, `${…}` filled the way `definitionSubstitutions` fills it.
 * `raw` replaces the file's text: a redeploy of an edited definition.
 */
export function readDefinition(playbook: PlaybookEntry, raw = readFileSync(join(PROJECT_ROOT, playbook.definitionFile), 'utf8')): Definition {
  const functionsByKey = substitutionsOf(playbook);
  const self = selfSubstitutionOf(playbook);
  const substitutions = new Map<string, FunctionId>();
  const stateMachineSubstitutions = new Map<string, string>();
  const substituted = raw.replace(SUBSTITUTION_TOKEN, (token, key: string) => {
    if (key === self) {
      stateMachineSubstitutions.set(key, playbook.id);
      return localStateMachineArn(playbook.id);
    }
    const functionId = functionsByKey.get(key);
    if (!functionId) throw new Error(`${playbook.definitionFile}: ${token} is not a function of playbook ${playbook.id} in the catalog`);
    substitutions.set(key, functionId);
    return localFunctionArn(functionId);
  });
  return { raw, substituted, substitutions, stateMachineSubstitutions };
}

/** Which catalog function each Lambda Task state calls, read from its (substituted) Resource. */
export function taskStateFunctions(definition: AslDefinition): Map<string, FunctionId> {
  const byArn = new Map((Object.keys(FUNCTIONS) as FunctionId[]).map((id) => [localFunctionArn(id), id]));
  const tasks = new Map<string, FunctionId>();
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task' || state.Resource === START_EXECUTION_RESOURCE) continue;
    const functionId = byArn.get(String(state.Resource));
    if (!functionId) throw new Error(`Task state ${name} calls ${String(state.Resource)}, which is neither a catalog function nor ${START_EXECUTION_RESOURCE}`);
    tasks.set(name, functionId);
  }
  return tasks;
}

/** The Task states that start an execution (`arn:aws:states:::states:startExecution`): the sandbox runs them itself. */
export function taskStateStartExecutions(definition: AslDefinition): string[] {
  return Object.entries(definition.States)
    .filter(([, state]) => state.Type === 'Task' && state.Resource === START_EXECUTION_RESOURCE)
    .map(([name]) => name);
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, { Type: string; Resource?: unknown }>;
}
