import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, SUBSTITUTION_TOKEN, substitutionsOf, type FunctionId, type PlaybookEntry } from '../../lib/catalog.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';

/** The ARN the sandbox gives a function in place of the deployed one. */
export function localFunctionArn(functionId: FunctionId): string {
  return `arn:aws:lambda:eu-west-3:000000000000:function:cs-playbooks-sandbox-${functionId}`;
}

/** The ASL file as deployed: the same file, `${…}` filled the way `definitionSubstitutions` fills it. */
export function readDefinition(playbook: PlaybookEntry): { raw: string; substituted: string; substitutions: Map<string, FunctionId> } {
  const raw = readFileSync(join(PROJECT_ROOT, playbook.definitionFile), 'utf8');
  const functionsByKey = substitutionsOf(playbook);
  const substitutions = new Map<string, FunctionId>();
  const substituted = raw.replace(SUBSTITUTION_TOKEN, (token, key: string) => {
    const functionId = functionsByKey.get(key);
    if (!functionId) throw new Error(`${playbook.definitionFile}: ${token} is not a function of playbook ${playbook.id} in the catalog`);
    substitutions.set(key, functionId);
    return localFunctionArn(functionId);
  });
  return { raw, substituted, substitutions };
}

/** Which catalog function each Task state calls, read from its (substituted) Resource. */
export function taskStateFunctions(definition: AslDefinition): Map<string, FunctionId> {
  const byArn = new Map((Object.keys(FUNCTIONS) as FunctionId[]).map((id) => [localFunctionArn(id), id]));
  const tasks = new Map<string, FunctionId>();
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const functionId = byArn.get(String(state.Resource));
    if (!functionId) throw new Error(`Task state ${name} calls ${String(state.Resource)}, which is not a catalog function`);
    tasks.set(name, functionId);
  }
  return tasks;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, { Type: string; Resource?: unknown }>;
}
