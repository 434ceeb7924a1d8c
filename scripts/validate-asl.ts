/**
 * `npm run validate-asl`: every statemachines/*.asl.json is the flow of a playbook of the catalog,
 * names a failure policy for every Task (no Retry of its own), calls exactly the actions its catalog
 * entry lists, and, built with its policies (lib/flow.ts) as both runtimes build it, uses a
 * `${…}` substitution for the function of every domain it calls (and, when the playbook starts itself,
 * for its own state machine) and for nothing else, names no ARN itself (a service integration such as
 * `arn:aws:states:::states:startExecution` is not a resource), and, once each `${…}` is replaced by a
 * well-formed ARN (what CDK's definitionSubstitutions do), is valid Amazon States Language for
 * asl-validator. Exits 1 on any error.
 */
import aslValidator from 'asl-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DOMAIN_IDS,
  domainOf,
  isActionId,
  LAMBDA_WAIT_FOR_TASK_TOKEN,
  PLAYBOOKS,
  selfSubstitutionOf,
  stateMachineSubstitutionKey,
  SUBSTITUTION_TOKEN,
  substitutionKey,
  substitutionKeysIn,
  substitutionsOf,
  type PlaybookEntry,
} from '../lib/catalog.ts';
import { playbookDefinition } from '../lib/flow.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';

const STATEMACHINES_DIR = join(PROJECT_ROOT, 'statemachines');

/** Step Functions' own integration ARNs: no region, no account, no resource name. */
const SERVICE_INTEGRATION = /^arn:aws[a-z-]*:states:::[a-z0-9-]+:[A-Za-z0-9.]+$/;

/** What the substitution becomes on AWS: a Lambda ARN (region and account are placeholders). */
export const placeholderArn = (key: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${key}`;

/** What a playbook's own `${<Playbook>StateMachineArn}` becomes on AWS. */
export const placeholderStateMachineArn = (key: string) => `arn:aws:states:eu-west-1:123456789012:stateMachine:${key}`;

export function checkDefinition(file: string, flowText: string, playbook: PlaybookEntry | undefined, { catalogFlow = true } = {}): string[] {
  const errors: string[] = [];
  if (!playbook) return [`${file}: no playbook of lib/catalog.ts has this definitionFile`];
  // What deploys is the flow built with its failure policies, as CDK builds the committed file: a
  // catalog flow's Task that names no policy, or writes a Retry of its own (a copy that drifts), is
  // refused there. The rest checks the built definition.
  let text: string;
  try {
    text = playbookDefinition(playbook, flowText, { asCommitted: catalogFlow });
  } catch (error) {
    return [(error as Error).message];
  }

  // The catalog's parser and keys, as both runtimes use them (lib/catalog.ts).
  const used = new Set(substitutionKeysIn(text));
  const ofPlaybook = substitutionsOf(playbook);
  const ofCatalog = new Map(DOMAIN_IDS.map((domain) => [substitutionKey(domain), domain]));
  const self = selfSubstitutionOf(playbook);
  const playbookIds = new Set<string>(PLAYBOOKS.map((entry) => stateMachineSubstitutionKey(entry)));
  for (const key of used) {
    if (key === self) continue;
    if (playbookIds.has(key)) {
      errors.push(`${file}: \${${key}} is a state machine's ARN; ${playbook.id} may only start itself, and only with startsItself in the catalog`);
      continue;
    }
    const domain = ofCatalog.get(key);
    if (!domain) errors.push(`${file}: \${${key}} is not the substitution of any domain's function`);
    else if (!ofPlaybook.has(key)) errors.push(`${file}: \${${key}} calls the ${domain} function, which none of ${playbook.id}'s actions is in (no ARN, no grant)`);
  }
  // The actions its Tasks call, as the domains' routers will read them: exactly the catalog's list.
  const called = new Set<string>();
  for (const [state, call] of functionCalls(text)) {
    if (!call.key || !ofCatalog.has(call.key)) continue; // reported above
    if (call.action === undefined) errors.push(`${file}: Task ${state} calls the ${ofCatalog.get(call.key)} function with no action (its request is { action, input })`);
    else if (!isActionId(call.action) || substitutionKey(domainOf(call.action)) !== call.key) errors.push(`${file}: Task ${state} asks the ${ofCatalog.get(call.key)} function for "${call.action}", which is not one of its actions`);
    else if (!(playbook.actions as readonly string[]).includes(call.action)) errors.push(`${file}: Task ${state} calls ${call.action}, which is not in ${playbook.id}'s actions (no grant)`);
    else called.add(call.action);
  }
  for (const action of playbook.actions) {
    if (!called.has(action)) errors.push(`${file}: ${playbook.id} lists ${action} but no Task calls it`);
  }
  if (self && !used.has(self)) errors.push(`${file}: ${playbook.id} starts itself but no state uses \${${self}}`);
  // Any other `${` (`${Open-Risk}`, an unclosed `${`) is a placeholder the catalog's token does not
  // recognise, so nothing would fill it: an error here rather than a literal on AWS.
  const tokens = new Set([...text.matchAll(SUBSTITUTION_TOKEN)].map((match) => match.index));
  for (const match of text.matchAll(/\$\{/g)) {
    if (!tokens.has(match.index)) errors.push(`${file}: malformed substitution ${JSON.stringify(text.slice(match.index, match.index + 40))}`);
  }
  // Names and ARNs belong in definitionSubstitutions, never in the file. A service integration
  // (`arn:aws:states:::lambda:invoke.waitForTaskToken`) names no resource of any account: it stays.
  for (const match of text.matchAll(/arn:aws[a-z-]*:[^"\s]*/g)) {
    if (!SERVICE_INTEGRATION.test(match[0])) errors.push(`${file}: literal ARN ${match[0]}`);
  }

  let definition: unknown;
  try {
    definition = JSON.parse(text.replace(SUBSTITUTION_TOKEN, (_, key: string) => (key === self ? placeholderStateMachineArn(key) : placeholderArn(key))));
  } catch (error) {
    return [...errors, `${file}: not JSON after substitution: ${(error as Error).message}`];
  }
  const result = aslValidator(definition, { checkPaths: true, checkArn: true });
  if (!result.isValid) errors.push(...result.errors.map((e) => `${file}: ${e['Error code']}: ${e.Message}`));
  if (typeof (definition as { TimeoutSeconds?: unknown }).TimeoutSeconds !== 'number') {
    errors.push(`${file}: no top-level TimeoutSeconds; every playbook execution must be bounded`);
  }
  return errors;
}

interface FunctionCall {
  /** The `${…}` the Task calls (its Resource, or its callback's FunctionName), if it is one. */
  key: string | undefined;
  /** The action its request names, when a constant. */
  action: string | undefined;
}

/** Every Task of a built definition that invokes a function, at any depth, by state name. */
function functionCalls(text: string): [string, FunctionCall][] {
  type State = { Type?: string; Resource?: unknown; Parameters?: { FunctionName?: unknown; Payload?: { action?: unknown }; action?: unknown }; ItemProcessor?: Machine; Iterator?: Machine; Branches?: Machine[] };
  type Machine = { States?: Record<string, State> };
  const keyOf = (value: unknown) => (typeof value === 'string' ? /^\$\{(\w+)\}$/.exec(value)?.[1] : undefined);
  const constant = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const calls: [string, FunctionCall][] = [];
  const visit = (machine: Machine) => {
    for (const [name, state] of Object.entries(machine.States ?? {})) {
      for (const inner of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (inner) visit(inner);
      if (state.Type !== 'Task') continue;
      if (state.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN) calls.push([name, { key: keyOf(state.Parameters?.FunctionName), action: constant(state.Parameters?.Payload?.action) }]);
      else if (keyOf(state.Resource)) calls.push([name, { key: keyOf(state.Resource), action: constant(state.Parameters?.action) }]);
    }
  };
  visit(JSON.parse(text) as Machine);
  return calls;
}

function main(): number {
  const files = readdirSync(STATEMACHINES_DIR).filter((name) => name.endsWith('.asl.json')).sort();
  const errors: string[] = [];
  for (const name of files) {
    const file = relative(PROJECT_ROOT, join(STATEMACHINES_DIR, name));
    const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
    // A flow shared by playbooks that differ only in their parameters is checked as each of them.
    const playbooks: (PlaybookEntry | undefined)[] = PLAYBOOKS.filter((playbook) => playbook.definitionFile === file);
    for (const playbook of playbooks.length > 0 ? playbooks : [undefined]) {
      const fileErrors = checkDefinition(file, text, playbook);
      console.log(`${fileErrors.length === 0 ? '✓' : '✗'} ${file}${playbooks.length > 1 ? ` (${playbook!.id})` : ''}`);
      errors.push(...fileErrors);
    }
  }
  for (const playbook of PLAYBOOKS) {
    if (!files.some((name) => `statemachines/${name}` === playbook.definitionFile)) {
      errors.push(`${playbook.id}: its definitionFile ${playbook.definitionFile} does not exist`);
    }
  }
  for (const error of errors) console.error(`  ${error}`);
  console.log(errors.length === 0 ? `${files.length} definitions valid` : `${errors.length} error(s)`);
  return errors.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
