import { ArnFormat, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { buildApp } from '../../lib/app.ts';
import { FUNCTIONS, PLAYBOOKS, type FunctionId } from '../../lib/catalog.ts';
import type { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { Sandbox, type DeployedPlaybook } from '../../sandbox/runtime/sandbox.ts';

// "Works locally" means "is what deploys": the rules and definitions of the synthesized stack are
// the ones the sandbox runs, and each Lambda bundle's entry wraps the body the sandbox calls.

let stack: CsPlaybooksStack;
let template: Template;
let sandbox: Sandbox;

beforeAll(async () => {
  // Rules, definitions and substitutions need no Lambda bundles: skip esbuild (CDK's bundling-stacks).
  stack = buildApp('prod', { nag: false, context: { 'aws:cdk:bundling-stacks': [] } }).stack;
  template = Template.fromStack(stack);
  sandbox = await Sandbox.start({ clock: new VirtualClock(Date.parse('2026-11-16T08:00:00Z')), settings: resolveSettings() });
});

afterAll(() => sandbox?.stop());

const logicalId = (construct: IConstruct) => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
const deployedInSandbox = (playbook: string): DeployedPlaybook => {
  const deployed = sandbox.deployed.find((d) => d.playbook === playbook);
  if (!deployed) throw new Error(`The sandbox did not deploy ${playbook}`);
  return deployed;
};

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
    expect(stateMachine.DefinitionString).toBe(deployed.definitionFile);
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
