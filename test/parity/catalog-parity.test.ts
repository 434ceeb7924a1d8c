import { ArnFormat, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../functions/contracts/index.ts';
import { buildApp } from '../../lib/app.ts';
import { ACTIONS, actionsOf, DOMAIN_IDS, DOMAINS, LAMBDA_WAIT_FOR_TASK_TOKEN, PLAYBOOKS, START_EXECUTION_RESOURCE, type DomainId, type PlaybookEntry } from '../../lib/catalog.ts';
import type { CsPlaybooksStack } from '../../lib/cs-playbooks-stack.ts';
import { VirtualClock } from '../../sandbox/engine/clock.ts';
import { Sandbox, type DeployedPlaybook } from '../../sandbox/runtime/sandbox.ts';
import { APPROVAL_REHEARSAL } from '../support/approval-rehearsal.ts';

// "Works locally" means "is what deploys": the rules and definitions of the synthesized stack are
// the ones the sandbox runs, and each domain's Lambda entry routes its actions to the bodies the
// sandbox calls (through the same router).

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
 * Which domain's function each Task state of the deployed definition calls, how, and for which action,
 * read from the template: the `${…}` in its Resource, or in `Parameters.FunctionName` for the
 * waitForTaskToken integration, resolved through DefinitionSubstitutions to the function's logical id;
 * the action its request names (`Parameters.action`, or `Parameters.Payload.action`).
 */
function deployedTaskBindings(on: CsPlaybooksStack, json: ReturnType<Template['toJSON']>, playbookId: string) {
  const properties = json.Resources[logicalId(on.stateMachines[playbookId]!.stateMachine)].Properties;
  const byLogicalId = new Map(DOMAIN_IDS.map((id) => [logicalId(on.functions[id]), id]));
  type Request = { action?: unknown };
  type State = { Type: string; Resource?: string; Parameters?: Request & { FunctionName?: string; Payload?: Request }; ItemProcessor?: Machine; Iterator?: Machine; Branches?: Machine[] };
  type Machine = { States: Record<string, State> };
  const definition = JSON.parse(properties.DefinitionString as string) as Machine;
  // Every state at any depth: a Map's item processor and a Parallel's branches call functions too.
  const states = (machine: Machine): [string, State][] =>
    Object.entries(machine.States).flatMap(([name, state]) => [
      [name, state] as [string, State],
      ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].flatMap((inner) => (inner ? states(inner) : [])),
    ]);
  const bindings = new Map<string, { domain: DomainId | undefined; action: unknown; integration: string }>();
  for (const [name, state] of states(definition)) {
    // A StartExecution Task calls no function: the sandbox runs it itself (its ARN's parity is the substitutions' test).
    if (state.Type !== 'Task' || state.Resource === START_EXECUTION_RESOURCE) continue;
    const callback = state.Resource === LAMBDA_WAIT_FOR_TASK_TOKEN;
    const key = /^\$\{(\w+)\}$/.exec(String(callback ? state.Parameters?.FunctionName : state.Resource))?.[1];
    const target = key === undefined ? undefined : (properties.DefinitionSubstitutions[key] as { 'Fn::GetAtt': [string, string] } | undefined);
    const action = (callback ? state.Parameters?.Payload : state.Parameters)?.action;
    bindings.set(name, { domain: target && byLogicalId.get(target['Fn::GetAtt'][0]), action, integration: callback ? 'waitForTaskToken' : 'lambda' });
  }
  return bindings;
}
const sandboxTaskBindings = (deployed: DeployedPlaybook) =>
  new Map([...deployed.tasks].map(([name, binding]) => [name, { domain: binding.domain, action: binding.action, integration: binding.integration }]));

describe.each(PLAYBOOKS.map((p) => p.id))('playbook %s', (playbookId) => {
  it('given the synthesized stack, then what starts it is what starts it in the sandbox: a rule with exactly the pattern the sandbox bus applies, or the daily schedule the sandbox clock keeps', () => {
    const stateMachineId = logicalId(stack.stateMachines[playbookId]!.stateMachine);
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
      (rule.Properties.Targets as { Arn: unknown }[]).some((target) => JSON.stringify(target.Arn) === JSON.stringify({ Ref: stateMachineId })),
    );
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter((schedule) => JSON.stringify(schedule.Properties.Target.Arn) === JSON.stringify({ Ref: stateMachineId }));
    const deployed = deployedInSandbox(playbookId);
    if (deployed.schedule) {
      expect(rules).toEqual([]);
      const [hour, minute] = deployed.schedule.daily.split(':').map(Number);
      // Every day (`* * ?`), or on the sandbox's weekdays only (`? * SUN,MON,TUE`).
      const days = deployed.schedule.weekdays ? `? * ${deployed.schedule.weekdays.join(',')}` : '* * ?';
      expect(schedules.map(({ Properties }) => [Properties.ScheduleExpression, Properties.ScheduleExpressionTimezone])).toEqual([[`cron(${minute} ${hour} ${days} *)`, deployed.schedule.timezone]]);
      expect(JSON.parse(schedules[0]!.Properties.Target.Input as string)).toEqual({ night: '<aws.scheduler.scheduled-time>' });
      return;
    }
    expect(schedules).toEqual([]);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.EventPattern).toEqual(deployed.rule!.pattern);
  });

  it("given the synthesized stack, then the state machine runs the very file the sandbox runs, with the same domain's function (or the same state machine) behind every ${…}", () => {
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
      ...[...deployed.substitutions].map(([key, domain]) => [key, { 'Fn::GetAtt': [logicalId(stack.functions[domain]), 'Arn'] }]),
      ...[...deployed.stateMachineSubstitutions].map(([key, playbook]) => [key, stateMachineArn(playbook)]),
    ]);
    expect(stateMachine.DefinitionSubstitutions).toEqual(expected);
  });

  it("given the synthesized definition, then every Task state calls the domain's function the sandbox binds it to, for the same action, by the same integration, and that action is of that domain", () => {
    const deployed = deployedTaskBindings(stack, template.toJSON(), playbookId);
    expect(sandboxTaskBindings(deployedInSandbox(playbookId))).toEqual(deployed);
    for (const [state, { domain, action }] of deployed) expect(ACTIONS[action as keyof typeof ACTIONS]?.domain, state).toBe(domain);
  });
});

describe('a playbook that asks for approvals (the test fixture, lambda:invoke.waitForTaskToken)', () => {
  let both: Awaited<ReturnType<typeof deployBoth>>;
  beforeAll(async () => {
    both = await deployBoth([...PLAYBOOKS, APPROVAL_REHEARSAL]);
  });
  afterAll(() => both?.sandbox.stop());

  it("given the synthesized stack, then its state machine runs the very file the sandbox runs, with the same domain's function behind every ${…}, the approvals' (request-approval) included", () => {
    const properties = both.template.toJSON().Resources[logicalId(both.stack.stateMachines[APPROVAL_REHEARSAL.id]!.stateMachine)].Properties;
    const deployed = deployedIn(both.sandbox, APPROVAL_REHEARSAL.id);
    expect(properties.DefinitionString).toBe(deployed.definition);
    expect(properties.DefinitionSubstitutions).toEqual(
      Object.fromEntries([...deployed.substitutions].map(([key, domain]) => [key, { 'Fn::GetAtt': [logicalId(both.stack.functions[domain]), 'Arn'] }])),
    );
    expect(deployed.substitutions.get('ApprovalsFunctionArn')).toBe('approvals');
  });

  it('given the synthesized definition, then RequestApproval waits for a task token on the approvals function for request-approval in both runtimes, and every other Task calls the same function', () => {
    const deployed = deployedTaskBindings(both.stack, both.template.toJSON(), APPROVAL_REHEARSAL.id);
    expect(deployed.get('RequestApproval')).toEqual({ domain: 'approvals', action: 'request-approval', integration: 'waitForTaskToken' });
    expect(sandboxTaskBindings(deployedIn(both.sandbox, APPROVAL_REHEARSAL.id))).toEqual(deployed);
  });
});

describe('the Lambda entries', () => {
  it.each(DOMAIN_IDS)("given the %s domain, then its bundle entry routes exactly the catalog's actions of the domain, each to the body the sandbox calls, with exactly the ports it names", async (domain) => {
    const module = (await import(/* @vite-ignore */ `../../${DOMAINS[domain].entry}`)) as {
      handler: { domain: string; routes: Record<string, { playbookFunction: unknown; wiredPorts: string[] }> };
    };
    expect(module.handler.domain).toBe(domain);
    expect(Object.keys(module.handler.routes)).toEqual(actionsOf(domain));
    for (const action of actionsOf(domain)) {
      expect(module.handler.routes[action]!.playbookFunction, action).toBe(ACTIONS[action].fn);
      expect([...module.handler.routes[action]!.wiredPorts].sort(), action).toEqual([...(ACTIONS[action].fn.ports ?? [])].sort());
    }
  });
});

describe('the catalog', () => {
  it('given every playbook, then the sandbox deployed it, and nothing else', () => {
    expect(sandbox.deployed.map((d) => d.playbook)).toEqual(PLAYBOOKS.map((p) => p.id));
  });
});
