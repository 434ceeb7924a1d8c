import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTOMATION_FAILED, CREATE_MANUAL_FOLLOW_UP, FAILURE_POLICIES, retryOf, type FailurePolicy, type PolicyName } from './failure-policies.ts';
import { domainOf, isActionId, LAMBDA_WAIT_FOR_TASK_TOKEN, PLAYBOOKS, SUBSTITUTION_TOKEN, substitutionKey, type PlaybookEntry } from './catalog.ts';
import { PROJECT_ROOT } from './project-root.ts';

/**
 * A playbook's flow file (`statemachines/<id>.asl.json`) holds the flow a CS-ops engineer reads: its
 * states, choices, waits and parameters, and for each Task the action it calls and the failure policy
 * it follows. The rest of what Step Functions needs is written here, from the catalog and the policies
 * of ./failure-policies.ts, by this one function that CDK and the sandbox both call:
 *
 * - what every Task calls, from its `"Action"` (`callOf`);
 * - every Task's `Retry`, from its `"Policy"` (plus `"NotRetried"`: errors of its own function that no
 *   retry mends);
 * - its catch-all, appended after the Catches the file writes (which come first: a timeout that is an
 *   answer, an unknown account that ends the run): to the Task's `"OnFailure"` side step if it names
 *   one, otherwise to its policy's end (`CreateManualFollowUp`; none for a follow-up, which fails the
 *   execution where it is, to be redriven there);
 * - the side steps the file declares in `"SideSteps"`: a manual-follow-up task naming the step the
 *   CSM does by hand, after which the playbook goes on (`Next`);
 * - the terminal path, unless the file writes its own: `CreateManualFollowUp` (the manual-follow-up
 *   task) then `AutomationFailed`. Nothing catches the follow-up: when not even it can be written, the
 *   execution fails at it with its own error, and a redrive (automatic after an AWS outage) writes it.
 *
 * A Task that names a policy may not write a Retry: a copy would drift from the policy. Plain ASL (a
 * Task that names no policy) passes through unchanged, unless `requirePolicy` (a catalog flow as
 * committed: CDK and the sandbox build it so).
 */
export function buildDefinition(playbook: { readonly id: string }, flowText: string, file = `${playbook.id} flow`, { requirePolicy = false } = {}): string {
  const flow = parseFlow(flowText, file);
  const { FollowUp: followUpPaths, SideSteps: sideSteps = {}, ...machine } = flow;
  const followUp = followUpParameters(playbook.id, followUpPaths);
  const states: Record<string, FlowState> = { ...machine.States };

  for (const [name, spec] of Object.entries(sideSteps)) {
    if (states[name]) throw new Error(`${file}: side step ${name} is also a state of the flow: name it once`);
    states[name] = sideStepState(name, spec, followUp);
  }
  const built = { ...machine, States: buildStates(states, file, true, requirePolicy) };
  addTerminalStates(built.States, followUp);
  const unused = Object.keys(sideSteps).filter((name) => !referenced(built.States).has(name));
  if (unused.length > 0) throw new Error(`${file}: side step ${unused.join(', ')} is named by no Task's OnFailure`);
  // Compact: the definitions are inlined in the template (see lib/constructs/playbook-state-machine.ts),
  // where indentation would be escaped whitespace counted against CloudFormation's 1 MB limit: a third
  // of the definitions' bytes. The console and `npm run validate-asl` show the states, not this text.
  return JSON.stringify(built);
}

/**
 * A catalog playbook's definition as it deploys: its flow file (or `flowText`, an edit of it) with the
 * playbook's parameters filled in, built.
 */
export function playbookDefinition(
  playbook: Pick<PlaybookEntry, 'id' | 'definitionFile' | 'parameters'>,
  flowText?: string,
  // A catalog flow as committed names a policy for every Task. An edited text (a rehearsal's redeploy)
  // and a test's fixture may be plain ASL, as a built definition is; `npm run validate-asl` checks a
  // text as the committed flow it stands for.
  { asCommitted = flowText === undefined && PLAYBOOKS.some((entry) => entry.id === playbook.id && entry.definitionFile === playbook.definitionFile) } = {},
): string {
  const text = flowText ?? readFileSync(join(PROJECT_ROOT, playbook.definitionFile), 'utf8');
  return buildDefinition(playbook, withParameters(text, { ...playbook.parameters, Playbook: playbook.id }, playbook.definitionFile), playbook.definitionFile, {
    requirePolicy: asCommitted,
  });
}

/**
 * `${Name}` → the playbook's value, as a JSON string's content; any other `${…}` (a function's or a state
 * machine's ARN) is left for `definitionSubstitutions` and the sandbox.
 */
export function withParameters(flowText: string, parameters: Readonly<Record<string, string>>, file = 'flow'): string {
  for (const [key, value] of Object.entries(parameters)) {
    // An ARN is filled by definitionSubstitutions, and a value is inserted as it is, never filled again:
    // a parameter may name neither, nor carry what States.Format or a path would read as syntax.
    if (/(FunctionArn|StateMachineArn)$/.test(key)) throw new Error(`${file}: parameter ${key} would replace an ARN; name it otherwise`);
    if (/[${}'\\]/.test(value)) throw new Error(`${file}: parameter ${key} may not contain $, {, }, ' or \\ (it is inserted into the flow as it is)`);
  }
  const used = new Set<string>();
  const filled = flowText.replace(SUBSTITUTION_TOKEN, (token, key: string) => {
    if (!Object.hasOwn(parameters, key)) return token;
    used.add(key);
    return JSON.stringify(parameters[key]).slice(1, -1);
  });
  const unused = Object.keys(parameters).filter((key) => key !== 'Playbook' && !used.has(key));
  if (unused.length > 0) throw new Error(`${file}: parameter ${unused.join(', ')} is used nowhere in the flow`);
  return filled;
}

/** What a flow file's Task adds to ASL's: the action it calls, the policy it follows, and where it goes when it fails. */
interface FlowTask {
  Type: 'Task';
  /** The catalog action it calls (`create-task`): `callOf` writes how. */
  Action?: string;
  Policy?: PolicyName;
  NotRetried?: string[];
  /** A side step of the flow (`SideSteps`) or a state: where the Task goes once its retries are spent. */
  OnFailure?: string;
  Retry?: unknown;
  Catch?: Catcher[];
  [field: string]: unknown;
}
type FlowState = FlowTask | { Type: string; [field: string]: unknown };

interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

/** A side step: the manual follow-up of a step the playbook can do without, after which it goes on. */
interface SideStep {
  /** What the CSM does by hand, in the task's words. */
  Step: string;
  Next: string;
  /** The reason's middle part (one task per event, step and error); the side step's name without `Failed` by default. */
  Reason?: string;
  /** The path of the reason's first part, when not the flow's (`FollowUp.reasonKey`). */
  ReasonKey?: string;
  /** Parameters of the follow-up task that differ from the flow's (`ownerRole.$` for a case's owner, …). */
  Parameters?: Record<string, unknown>;
}

/** Where a flow's manual follow-ups find the account and the event, when not in `$.detail`. */
interface FollowUpPaths {
  'accountId.$'?: string;
  'eventId.$'?: string;
  /** The path that makes the reason unique (one follow-up per event and error): the event id by default. */
  reasonKey?: string;
}

interface Flow {
  StartAt: string;
  States: Record<string, FlowState>;
  FollowUp?: FollowUpPaths;
  SideSteps?: Record<string, SideStep>;
  [field: string]: unknown;
}

interface FollowUpParameters {
  playbook: string;
  accountId: string;
  eventId: string;
  reasonKey: string;
}

function parseFlow(text: string, file: string): Flow {
  let flow: unknown;
  try {
    flow = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  if (typeof flow !== 'object' || flow === null || typeof (flow as Flow).States !== 'object') throw new Error(`${file}: a flow has StartAt and States`);
  return flow as Flow;
}

function followUpParameters(playbook: string, paths: FollowUpPaths = {}): FollowUpParameters {
  const eventId = paths['eventId.$'] ?? '$.detail.eventId';
  return { playbook, accountId: paths['accountId.$'] ?? '$.detail.accountId', eventId, reasonKey: paths.reasonKey ?? eventId };
}

/** Every Task of `states` (and of a Map's item processor) with its Retry and catch-all written from its policy. */
function buildStates(states: Record<string, FlowState>, file: string, topLevel: boolean, requirePolicy: boolean): Record<string, FlowState> {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      if (state.Type === 'Parallel' || (state.Type === 'Map' && state.Iterator !== undefined)) {
        throw new Error(`${file}: ${name} is a ${state.Type === 'Parallel' ? 'Parallel state' : 'Map with an Iterator'}, which the build does not write policies into: use a Map's ItemProcessor`);
      }
      if (state.Type === 'Map' && isRecord(state.ItemProcessor)) {
        const processor = state.ItemProcessor as { States: Record<string, FlowState> };
        return [name, { ...state, ItemProcessor: { ...processor, States: buildStates(processor.States, file, false, requirePolicy) } }];
      }
      if (state.Type !== 'Task') {
        if ('Action' in state) throw new Error(`${file}: ${name} is a ${state.Type} state: only a Task calls an action`);
        return [name, state];
      }
      return [name, taskState(name, callOf(name, state as FlowTask, file), file, topLevel, requirePolicy)];
    }),
  );
}

function taskState(name: string, { Policy, NotRetried, OnFailure, Retry, Catch = [], ...task }: FlowTask, file: string, topLevel: boolean, requirePolicy: boolean): FlowState {
  if (!Policy) {
    // Plain ASL (a rehearsal's probe, a test's definition) passes through as written; the catalog's flows
    // name a policy for every Task (required when built from the committed file).
    if (requirePolicy && Retry !== undefined) throw new Error(`${file}: Task ${name} writes a Retry: name its failure policy instead ("Policy": one of ${policyNames()})`);
    if (requirePolicy) throw new Error(`${file}: Task ${name} names no failure policy ("Policy": one of ${policyNames()})`);
    if (OnFailure !== undefined || NotRetried !== undefined) throw new Error(`${file}: Task ${name} names no failure policy ("Policy": one of ${policyNames()}) for its OnFailure or NotRetried`);
    return { ...task, ...(Retry === undefined ? {} : { Retry }), ...(Catch.length > 0 ? { Catch } : {}) };
  }
  if (Retry !== undefined) throw new Error(`${file}: Task ${name} writes a Retry and follows "${Policy}": the policy writes its Retry, drop the copy`);
  const policy: FailurePolicy | undefined = FAILURE_POLICIES[Policy];
  if (!policy) throw new Error(`${file}: Task ${name} follows "${Policy}", which is no failure policy (one of ${policyNames()})`);
  const catchesAll = Catch.some((catcher) => catcher.ErrorEquals.includes('States.ALL'));
  if (catchesAll && OnFailure) throw new Error(`${file}: Task ${name} catches States.ALL itself and names OnFailure ${OnFailure}: one or the other`);
  const end = OnFailure ?? policy.onFailure;
  // Inside a Map, the policy's end (a top-level state) is out of reach; a follow-up, which has none,
  // fails its iteration and so the Map, whose own Catch takes it.
  if (!catchesAll && !topLevel && !OnFailure && policy.onFailure) {
    throw new Error(`${file}: Task ${name} is inside a Map: catch States.ALL to a state of its item processor`);
  }
  const catchAll: Catcher[] = catchesAll || end === undefined ? [] : [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: end }];
  const catchers = [...Catch, ...catchAll];
  return { ...task, Retry: retryOf(policy, NotRetried), ...(catchers.length > 0 ? { Catch: catchers } : {}) };
}

/**
 * A Task that names its action, as Step Functions calls it: the function of the action's domain
 * (`${TasksFunctionArn}`) gets `{ "action": "<id>", "input": <what the file's Parameters pass> }`, or
 * the state's whole input when the file writes no Parameters (after its InputPath, as Parameters would
 * be). The `Resource` goes where the file names the action; a Task that waits for a task token
 * (`"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken"`) carries the function as
 * `FunctionName` and the same request as `Payload`. ResultSelector, ResultPath and the rest stay as
 * written. A Task naming no action passes through (a service integration such as
 * `states:startExecution`, or plain ASL).
 */
function callOf(name: string, task: FlowTask, file: string): FlowTask {
  const { Action, Parameters, ...rest } = task;
  if (Action === undefined) return task;
  if (!isActionId(Action)) throw new Error(`${file}: Task ${name} calls "${Action}", which is no action of the catalog (lib/functions.ts)`);
  const functionArn = `\${${substitutionKey(domainOf(Action))}}`;
  const request = Parameters === undefined ? { action: Action, 'input.$': '$' } : { action: Action, input: Parameters };
  if (task.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN) return { ...rest, Parameters: { FunctionName: functionArn, Payload: request } };
  if (task.Resource !== undefined) {
    throw new Error(`${file}: Task ${name} calls "${Action}" and names the Resource ${JSON.stringify(task.Resource)}: the build writes the action's Resource (a Task that waits for a callback names ${LAMBDA_WAIT_FOR_TASK_TOKEN})`);
  }
  // The Resource where the file names the action, the request where it writes its Parameters (or
  // after the Resource): the built state reads in the file's order.
  const called: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(task)) {
    if (key === 'Action') called.Resource = functionArn;
    else if (key === 'Parameters') called.Parameters = request;
    else called[key] = value;
    if (key === 'Action' && Parameters === undefined) called.Parameters = request;
  }
  return called as FlowTask;
}

function sideStepState(name: string, { Step, Next, Reason = name.replace(/Failed$/, ''), ReasonKey, Parameters = {} }: SideStep, followUp: FollowUpParameters): FlowState {
  const parameters = {
    ...manualFollowUp(followUp, `States.Format('{}:${Reason}:{}', ${ReasonKey ?? followUp.reasonKey}, $.failure.Error)`),
    step: Step,
    ...Parameters,
  };
  // A parameter given as a path replaces the same one given as a value, and the converse.
  for (const key of Object.keys(Parameters)) delete (parameters as Record<string, unknown>)[key.endsWith('.$') ? key.slice(0, -2) : `${key}.$`];
  return {
    Type: 'Task',
    Comment: 'Side step: the step failed after its retries; the CSM does it by hand from this manual-follow-up task, and the playbook goes on.',
    Action: 'create-task',
    TimeoutSeconds: 60,
    Parameters: parameters,
    ResultPath: null,
    Policy: 'follow-up',
    Next,
  };
}

function manualFollowUp(followUp: FollowUpParameters, reason: string) {
  return {
    'accountId.$': followUp.accountId,
    playbook: followUp.playbook,
    kind: 'manual-follow-up',
    ownerRole: 'csm',
    'reason.$': reason,
    due: { rule: 'today' },
    'failure.$': '$.failure',
    'eventId.$': followUp.eventId,
  };
}

/** The terminal path, where some state leads to it and the flow does not write its own. */
function addTerminalStates(states: Record<string, FlowState>, followUp: FollowUpParameters): void {
  if (referenced(states).has(CREATE_MANUAL_FOLLOW_UP) && !states[CREATE_MANUAL_FOLLOW_UP]) {
    states[CREATE_MANUAL_FOLLOW_UP] = callOf(CREATE_MANUAL_FOLLOW_UP, {
      Type: 'Task',
      Comment: 'Invariant 1: a step that failed after its retries becomes a visible task, never a silent end. One per event and error, however many executions the event started. Nothing catches it: if even it cannot be written, the execution fails here, and a redrive (automatic after an AWS outage) writes it.',
      Action: 'create-task',
      TimeoutSeconds: 60,
      Parameters: manualFollowUp(followUp, `States.Format('{}:{}', ${followUp.reasonKey}, $.failure.Error)`),
      ResultPath: '$.manualFollowUp',
      Next: AUTOMATION_FAILED,
      Retry: retryOf(FAILURE_POLICIES['follow-up']),
    }, 'the build');
  }
  const targets = referenced(states);
  if (targets.has(AUTOMATION_FAILED) && !states[AUTOMATION_FAILED]) {
    states[AUTOMATION_FAILED] = {
      Type: 'Fail',
      Comment: 'Red in the console and counted by the stayed-failed alarm (never redriven: the CSM has the manual-follow-up task).',
      Error: 'AutomationFailed',
      Cause: 'An automated step failed after its retries; a manual-follow-up task was created.',
    };
  }
}

/** Every state name some state of the top level leads to (Next, Default, a Choice's or a Catch's Next). */
function referenced(states: Record<string, FlowState>): Set<string> {
  const names = new Set<string>();
  for (const state of Object.values(states)) {
    if (typeof state.Next === 'string') names.add(state.Next);
    if (typeof state.Default === 'string') names.add(state.Default);
    for (const rule of [...asArray(state.Choices), ...asArray(state.Catch)]) if (isRecord(rule) && typeof rule.Next === 'string') names.add(rule.Next);
  }
  return names;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
export const policyNames = () => Object.keys(FAILURE_POLICIES).join(', ');
