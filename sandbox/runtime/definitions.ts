import { DOMAIN_IDS, LAMBDA_WAIT_FOR_TASK_TOKEN, selfSubstitutionOf, START_EXECUTION_RESOURCE, SUBSTITUTION_TOKEN, substitutionsOf, type DomainId, type PlaybookEntry } from '../../lib/catalog.ts';
import { playbookDefinition } from '../../lib/flow.ts';

/** The ARN the sandbox gives a domain's function in place of the deployed one. */
export function localFunctionArn(domain: DomainId): string {
  return `arn:aws:lambda:eu-west-3:000000000000:function:cs-playbooks-sandbox-${domain}`;
}

/** The ARN the sandbox gives a playbook's state machine (what `${<Playbook>StateMachineArn}` becomes). */
export function localStateMachineArn(playbookId: string): string {
  return `arn:aws:states:local:000000000000:stateMachine:${playbookId}`;
}

/** The sandbox's bus, its archive and its rules, as ARNs: what the ops CLI names them by, as on AWS. */
export const SANDBOX_EVENTS = {
  busArn: 'arn:aws:events:local:000000000000:event-bus/cs-playbooks-sandbox',
  archiveArn: 'arn:aws:events:local:000000000000:archive/cs-playbooks-sandbox',
  ruleArn: (ruleName: string) => `arn:aws:events:local:000000000000:rule/cs-playbooks-sandbox/${ruleName}`,
};

/** An execution's ARN in the sandbox: its playbook's state machine, then its name. */
export function localExecutionArn(playbookId: string, name: string): string {
  return `arn:aws:states:local:000000000000:execution:${playbookId}:${name}`;
}

export interface Definition {
  /** The ASL as deployed (the flow file built with its failure policies), before substitution. */
  raw: string;
  substituted: string;
  /** `${…}` key → the domain whose function the sandbox put there. */
  substitutions: Map<string, DomainId>;
  /** `${…}` key → the playbook whose state machine ARN the sandbox put there (a playbook that starts itself). */
  stateMachineSubstitutions: Map<string, string>;
}

/**
 * The definition as deployed: the flow file built as CDK builds it (lib/flow.ts), `${…}` filled the way
 * `definitionSubstitutions` fills it. `flowText` replaces the file's text: a redeploy of an edited flow.
 */
export function readDefinition(playbook: PlaybookEntry, flowText?: string): Definition {
  const raw = playbookDefinition(playbook, flowText);
  const domainsByKey = substitutionsOf(playbook);
  const self = selfSubstitutionOf(playbook);
  const substitutions = new Map<string, DomainId>();
  const stateMachineSubstitutions = new Map<string, string>();
  const substituted = raw.replace(SUBSTITUTION_TOKEN, (token, key: string) => {
    if (key === self) {
      stateMachineSubstitutions.set(key, playbook.id);
      return localStateMachineArn(playbook.id);
    }
    const domain = domainsByKey.get(key);
    if (!domain) throw new Error(`${playbook.definitionFile}: ${token} is not the function of a domain of playbook ${playbook.id}'s actions in the catalog`);
    substitutions.set(key, domain);
    return localFunctionArn(domain);
  });
  return { raw, substituted, substitutions, stateMachineSubstitutions };
}

/**
 * How a Task state calls a domain's function, and the action its request names (`Parameters.action`, as
 * lib/flow.ts writes it; undefined when the state names none, which the domain's router refuses).
 */
export type TaskBinding =
  /** `Resource` is the function's ARN: its result is the state's result. */
  | { domain: DomainId; action: string | undefined; integration: 'lambda' }
  /** `lambda:invoke.waitForTaskToken`: the function gets `Payload`; the state's result is the callback's output. */
  | { domain: DomainId; action: string | undefined; integration: 'waitForTaskToken'; heartbeatSeconds?: number | undefined };

/**
 * Which domain's function each Task state calls and how, read from its (substituted) definition: the
 * function's ARN as `Resource`, or `lambda:invoke.waitForTaskToken` with the ARN as
 * `Parameters.FunctionName`. Anything else is refused here, at deploy, rather than run differently
 * from Step Functions. Which action runs is the domain's router's to say, from the request the state
 * sends, as on AWS.
 */
export function taskStateFunctions(definition: AslDefinition): Map<string, TaskBinding> {
  const byArn = new Map(DOMAIN_IDS.map((domain) => [localFunctionArn(domain), domain]));
  const tasks = new Map<string, TaskBinding>();
  for (const [name, state] of everyState(definition)) {
    if (state.Type !== 'Task' || state.Resource === START_EXECUTION_RESOURCE) continue;
    if (state.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN) {
      tasks.set(name, callbackBinding(name, state, byArn));
      continue;
    }
    const domain = byArn.get(String(state.Resource));
    if (!domain) throw new Error(`Task state ${name} calls ${String(state.Resource)}, which is neither a domain's function nor ${START_EXECUTION_RESOURCE}`);
    tasks.set(name, { domain, action: actionOf(state.Parameters), integration: 'lambda' });
  }
  return tasks;
}

/** The action a request names, when it names one as a constant. */
function actionOf(request: unknown): string | undefined {
  const action = (request as { action?: unknown } | undefined)?.action;
  return typeof action === 'string' ? action : undefined;
}

/** The Task states that start an execution (`arn:aws:states:::states:startExecution`): the sandbox runs them itself. */
export function taskStateStartExecutions(definition: AslDefinition): string[] {
  return everyState(definition)
    .filter(([, state]) => state.Type === 'Task' && state.Resource === START_EXECUTION_RESOURCE)
    .map(([name]) => name);
}

/**
 * Every state, those of a Map's item processor (or Iterator) and a Parallel's branches included: the
 * interpreter finds a Task's local handler by the state's name at any depth, so names must be unique
 * across the whole definition (Step Functions does not require it; this sandbox does, and says so).
 */
export function everyState(definition: { States: Record<string, AslState> }): [string, AslState][] {
  const states: [string, AslState][] = [];
  const seen = new Set<string>();
  const visit = (machine: { States: Record<string, AslState> }) => {
    for (const [name, state] of Object.entries(machine.States)) {
      if (seen.has(name)) throw new Error(`State name ${name} is used twice (at two depths): the sandbox needs every state name unique`);
      seen.add(name);
      states.push([name, state]);
      const nested = state as AslState & { ItemProcessor?: { States: Record<string, AslState> }; Iterator?: { States: Record<string, AslState> }; Branches?: { States: Record<string, AslState> }[] };
      for (const inner of [nested.ItemProcessor, nested.Iterator, ...(nested.Branches ?? [])]) if (inner) visit(inner);
    }
  };
  visit(definition);
  return states;
}

function callbackBinding(name: string, state: AslState, byArn: ReadonlyMap<string, DomainId>): TaskBinding {
  const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
  const domain = byArn.get(String(parameters.FunctionName));
  if (!domain) {
    throw new Error(`Task state ${name} (${LAMBDA_WAIT_FOR_TASK_TOKEN}) must name a domain's function in Parameters.FunctionName, got ${JSON.stringify(parameters.FunctionName ?? parameters['FunctionName.$'])}`);
  }
  if (!JSON.stringify(parameters.Payload ?? null).includes('"$$.Task.Token"')) {
    throw new Error(`Task state ${name} waits for a task token but its Parameters.Payload does not pass "$$.Task.Token": nothing could ever resume it`);
  }
  // The interpreter times a Task out after 60 s by default where Step Functions lets a callback wait
  // until the execution's own limit: a waiting state must say how long, as the conventions require anyway.
  if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
    throw new Error(`Task state ${name} waits for a task token without TimeoutSeconds or TimeoutSecondsPath: say how long it may wait`);
  }
  if (state.HeartbeatSecondsPath !== undefined) throw new Error(`Task state ${name}: HeartbeatSecondsPath is not supported by the sandbox; use HeartbeatSeconds`);
  const heartbeat = state.HeartbeatSeconds;
  if (heartbeat !== undefined && (typeof heartbeat !== 'number' || !Number.isInteger(heartbeat) || heartbeat < 1)) {
    throw new Error(`Task state ${name}: HeartbeatSeconds must be a positive integer, got ${JSON.stringify(heartbeat)}`);
  }
  return { domain, action: actionOf(parameters.Payload), integration: 'waitForTaskToken', heartbeatSeconds: heartbeat };
}

/** Where the sandbox's copy of a callback Task carries its timeout (see `forInterpreter`). */
const SANDBOX_TIMEOUT_PARAMETER = 'SandboxTimeoutSeconds';

/**
 * The definition as the interpreter must see it to behave as Step Functions does, for the one
 * difference that matters to callback Tasks: Step Functions resolves `TimeoutSecondsPath` against the
 * state's input, aws-local-stepfunctions against the Task's `Parameters` output. The sandbox's copy
 * therefore resolves the path in `Parameters` (evaluated on the state's input, as Step Functions does)
 * into a field of its own, which the Task's handler drops, and points `TimeoutSecondsPath` at it. The
 * deployed file is unchanged (the parity test compares it).
 */
export function forInterpreter(definition: AslDefinition, tasks: ReadonlyMap<string, TaskBinding>): AslDefinition {
  const states = Object.fromEntries(
    Object.entries(definition.States).map(([name, state]) => {
      if (tasks.get(name)?.integration !== 'waitForTaskToken' || typeof state.TimeoutSecondsPath !== 'string') return [name, state];
      const parameters = { ...(state.Parameters as Record<string, unknown>), [`${SANDBOX_TIMEOUT_PARAMETER}.$`]: state.TimeoutSecondsPath };
      return [name, { ...state, Parameters: parameters, TimeoutSecondsPath: `$.${SANDBOX_TIMEOUT_PARAMETER}` }];
    }),
  );
  return { ...definition, States: states };
}

interface AslState {
  Type: string;
  Resource?: unknown;
  Parameters?: unknown;
  TimeoutSeconds?: unknown;
  TimeoutSecondsPath?: unknown;
  HeartbeatSeconds?: unknown;
  HeartbeatSecondsPath?: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}
