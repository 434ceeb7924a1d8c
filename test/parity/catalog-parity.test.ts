import { ArnFormat, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { buildApp } from '../../lib/app.ts';
import { FUNCTIONS, PLAYBOOKS, START_EXECUTION_RESOURCE, type FunctionId, type PlaybookEntry } from '../../lib/catalog.ts';
import type { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { LAMBDA_WAIT_FOR_TASK_TOKEN } from '../../sandbox/runtime/definitions.ts';
import { Sandbox, type DeployedPlaybook } from '../../sandbox/runtime/sandbox.ts';
import { APPROVAL_REHEARSAL } from '../support/approval-rehearsal.ts';

// "Works locally" means "is what deploys": the rules and definitions of the synthesized stack are
// the ones the sandbox runs, and each Lambda bundle's entry wraps the body the sandbox calls.

let stack: CsPlaybooksStack;
let template: Template;
let sandbox: Sandbox;

/** The same playbooks deployed by both runtimes: the stack as synthesized (no bundles), and a sandbox. */
async function deployBoth(playbooks?: readonly PlaybookEntry[]) {
  // Rules, definitions and substitutions need no Lambda bundles: skip esbuild (CDK's bundling-stacks).
  const synthesized = buildApp('prod', { nag: false, context: { 'aws:cdk:bundling-stacks': [] }, ...(playbooks ? { playbooks } : {}) }).stack;
  const started = await Sandbox.start({
    clock: new VirtualClock(Date.parse('2026-11-16T08:00:00Z')),
    settings: resolveSettings(),
    ...(playbooks ? { playbooks } : {}),
  });
  return { stack: synthesized, template: Template.fromStack(synthesized), sandbox: started };
}

beforeAll(async () => {
  ({ stack, template, sandbox } = await deployBoth());
});

afterAll(() => sandbox?.stop());

const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const deployedIn = (where: Sandbox, playbook: string): DeployedPlaybook => {
  const deployed = where.deployed.find((d) => d.playbook === playbook);
  if (!deployed) throw new Error(`The sandbox did not deploy ${playbook}`);
  return deployed;
};
const deployedInSandbox = (playbook: string) => deployedIn(sandbox, playbook);

/**
 * Which function each Task state of the deployed definition calls, and how, read from the template:
 * the `${…}` in its Resource, or in `Parameters.FunctionName` for the waitForTaskToken integration,
 * resolved through DefinitionSubstitutions to the function's logical id.
 */
function deployedTaskBindings(on: CsPlaybooksStack, json: ReturnType<Template['toJSON']>, playbookId: string) {
  const properties = json.Resources[logicalId(on.stateMachines[playbookId]!.stateMachine)].Properties;
  const byLogicalId = new Map((Object.keys(FUNCTIONS) as FunctionId[]).map((id) => [logicalId(on.functions[id]), id]));
  type State = { Type: string; Resource?: string; Parameters?: { FunctionName?: string }; ItemProcessor?: Machine; Iterator?: Machine; Branches?: Machine[] };
  type Machine = { States: Record<string, State> };
  const definition = JSON.parse(properties.DefinitionString as string) as Machine;
  // Every state at any depth: a Map's item processor and a Parallel's branches call functions too.
  const states = (machine: Machine): [string, State][] =>
    Object.entries(machine.States).flatMap(([name, state]) => [
      [name, state] as [string, State],
      ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].flatMap((inner) => (inner ? states(inner) : [])),
    ]);
  const bindings = new Map<string, { functionId: FunctionId | undefined; integration: string }>();
  for (const [name, state] of states(definition)) {
    // A StartExecution Task calls no function: the sandbox runs it itself (its ARN's parity is the substitutions' test).
    if (state.Type !== 'Task' || state.Resource === START_EXECUTION_RESOURCE) continue;
    const callback = state.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN;
    const key = /^\$\{(\w+)\}$/.exec(String(callback ? state.Parameters?.FunctionName : state.Resource))?.[1];
    const target = key === undefined ? undefined : (properties.DefinitionSubstitutions[key] as { 'Fn::GetAtt': [string, string] } | undefined);
    bindings.set(name, { functionId: target && byLogicalId.get(target['Fn::GetAtt'][0]), integration: callback ? 'waitForTaskToken' : 'lambda' });
  }
  return bindings;
}
const sandboxTaskBindings = (deployed: DeployedPlaybook) =>
  new Map([...deployed.tasks].map(([name, binding]) => [name, { functionId: binding.functionId, integration: binding.integration }]));

describe.each(PLAYBOOKS.map((p) => p.id))('playbook %s', (playbookId) => {
  it('given the synthesized stack, then its rule has exactly the pattern the sandbox bus applies, and targets this playbook', () => {
    const stateMachineId = logicalId(stack.stateMachines[playbookId]!.stateMachine);
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
      (rule.Properties.Targets as { Arn: unknown }[]).some((target) => JSON.stringify(target.Arn) === JSON.stringify({ Ref: stateMachineId })),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.EventPattern).toEqual(deployedInSandbox(playbookId).rule.pattern);
  });

  it('given the synthesized stack, then the state machine runs the very file the sandbox runs, with the same function (or the same state machine) behind every ${…}', () => {
    const stateMachine = template.toJSON().Resources[logicalId(stack.stateMachines[playbookId]!.stateMachine)].Properties;
    const deployed = deployedInSandbox(playbookId);
    expect(stateMachine.DefinitionString).toBe(deployed.definition);
    // A state machine the sandbox starts by its ARN is, on AWS, the ARN of the playbook's machine, built
    // from the fixed name the template gives that very resource.
    const stateMachineArn = (playbook: string) => {
      const name = template.toJSON().Resources[logicalId(stack.stateMachines[playbook]!.stateMachine)].Properties.StateMachineName as unknown;
      expect(name, `${playbook} has a fixed name`).toEqual(expect.any(String));
      return stack.resolve(stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name as string, arnFormat: ArnFormat.COLON_RESOURCE_NAME })) as unknown;
    };
    const expected = Object.fromEntries([
      ...[...deployed.substitutions].map(([key, functionId]) => [key, { 'Fn::GetAtt': [logicalId(stack.functions[functionId]), 'Arn'] }]),
      ...[...deployed.stateMachineSubstitutions].map(([key, playbook]) => [key, stateMachineArn(playbook)]),
    ]);
    expect(stateMachine.DefinitionSubstitutions).toEqual(expected);
  });

  it('given the synthesized definition, then every Task state calls the function the sandbox binds it to, by the same integration', () => {
    expect(sandboxTaskBindings(deployedInSandbox(playbookId))).toEqual(deployedTaskBindings(stack, template.toJSON(), playbookId));
  });
});

describe('a playbook that asks for approvals (the test fixture, lambda:invoke.waitForTaskToken)', () => {
  let both: Awaited<ReturnType<typeof deployBoth>>;
  beforeAll(async () => {
    both = await deployBoth([...PLAYBOOKS, APPROVAL_REHEARSAL]);
  });
  afterAll(() => both?.sandbox.stop());

  it('given the synthesized stack, then its state machine runs the very file the sandbox runs, with the same function behind every ${…}, request-approval included', () => {
    const properties = both.template.toJSON().Resources[logicalId(both.stack.stateMachines[APPROVAL_REHEARSAL.id]!.stateMachine)].Properties;
    const deployed = deployedIn(both.sandbox, APPROVAL_REHEARSAL.id);
    expect(properties.DefinitionString).toBe(deployed.definition);
    expect(properties.DefinitionSubstitutions).toEqual(
      Object.fromEntries([...deployed.substitutions].map(([key, functionId]) => [key, { 'Fn::GetAtt': [logicalId(both.stack.functions[functionId]), 'Arn'] }])),
    );
    expect(deployed.substitutions.get('RequestApprovalFunctionArn')).toBe('request-approval');
  });

  it('given the synthesized definition, then RequestApproval waits for a task token on request-approval in both runtimes, and every other Task calls the same function', () => {
    const deployed = deployedTaskBindings(both.stack, both.template.toJSON(), APPROVAL_REHEARSAL.id);
    expect(deployed.get('RequestApproval')).toEqual({ functionId: 'request-approval', integration: 'waitForTaskToken' });
    expect(sandboxTaskBindings(deployedIn(both.sandbox, APPROVAL_REHEARSAL.id))).toEqual(deployed);
  });
});

describe('the Lambda entries', () => {
  it.each(Object.keys(FUNCTIONS) as FunctionId[])('given %s, then its bundle entry wraps the function body the sandbox calls, with exactly the ports it names', async (functionId) => {
    const entry = FUNCTIONS[functionId];
    const module = (await import(/* @vite-ignore */ `../../${entry.entry}`)) as { handler: { playbookFunction: unknown; wiredPorts: string[] } };
    expect(module.handler.playbookFunction).toBe(entry.fn);
    expect([...module.handler.wiredPorts].sort()).toEqual([...(entry.fn.ports ?? [])].sort());
  });
});

describe('the catalog', () => {
  it('given every playbook, then the sandbox deployed it, and nothing else', () => {
    expect(sandbox.deployed.map((d) => d.playbook)).toEqual(PLAYBOOKS.map((p) => p.id));
  });
});
