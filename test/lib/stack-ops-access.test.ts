import { describe, expect, it } from 'vitest';
import { PLAYBOOKS, pascalCase } from '../../lib/catalog.ts';
import { actionsOf, resourcesOf, stack, synthesizeDevStage, template } from './dev-stage.ts';
import { asArray, logicalId } from './synth.ts';

// What the ops CLI needs from a deployed stage (sandbox/ops/target.ts, lib/constructs/ops-access.ts):
// the outputs it finds the stage's table, bus, archive and rules by, and two customer-managed policies
// for on-call, one read-only, one to recover; nothing else.
synthesizeDevStage();

const policies = () => Object.fromEntries(resourcesOf('AWS::IAM::ManagedPolicy').map(([id, policy]) => [id, policy.Properties]));
const policyOf = (name: 'ReadOnly' | 'Recovery') => policies()[logicalId(stack.node.findChild('Ops').node.findChild(name))]!;
const statementsOf = (name: 'ReadOnly' | 'Recovery') => policyOf(name).PolicyDocument.Statement as { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[];

describe('the ops policies', () => {
  it('given the read-only policy, then it reads executions, histories, definitions and the accounts’ timelines, and changes nothing', () => {
    const statements = statementsOf('ReadOnly');
    expect(actionsOf(statements).sort()).toEqual(['cloudformation:DescribeStacks', 'dynamodb:Query', 'states:DescribeExecution', 'states:DescribeStateMachine', 'states:GetExecutionHistory', 'states:ListExecutions']);
    // The ledger's timeline items only: no account record, no contact, no NPS comment.
    expect(statements.find((statement) => statement.Sid === 'AccountTimelines')!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EXECUTION#*'] } });
    // On the stage's own state machines and their executions, each named.
    const machines = Object.values(stack.stateMachines);
    expect(asArray(statements.find((statement) => statement.Sid === 'PlaybookDefinitions')!.Resource)).toHaveLength(machines.length);
    expect(asArray(statements.find((statement) => statement.Sid === 'PlaybookExecutions')!.Resource)).toHaveLength(machines.length);
  });

  it('given the recovery policy, then it redrives the stage’s executions and replays its archive, and nothing else', () => {
    const statements = statementsOf('Recovery');
    expect(actionsOf(statements).sort()).toEqual(['events:DescribeReplay', 'events:StartReplay', 'states:DescribeExecution', 'states:RedriveExecution']);
    const archive = logicalId(stack.node.findChild('Events').node.findChild('Bus').node.findChild('Archive'));
    expect(statements.find((statement) => statement.Sid === 'ReplayArchive')!.Resource).toEqual({ 'Fn::GetAtt': [archive, 'Arn'] });
  });

  it('given either, then no principal gets it from the stack: on-call attach them to their own role', () => {
    for (const name of ['ReadOnly', 'Recovery'] as const) {
      const policy = policyOf(name);
      expect(policy.Roles ?? [], name).toEqual([]);
      expect(policy.Users ?? [], name).toEqual([]);
      expect(policy.Groups ?? [], name).toEqual([]);
    }
  });
});

describe('the outputs the ops CLI reads', () => {
  it('given the stack, then it names its table, bus, archive, each playbook’s state machine, each triggered playbook’s rule and the two policies', () => {
    const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
    expect(outputs).toEqual(expect.arrayContaining(['TableName', 'EventBusArn', 'EventArchiveArn', 'OpsReadOnlyPolicyArn', 'OpsRecoveryPolicyArn']));
    const triggered = PLAYBOOKS.filter((playbook) => !('schedule' in playbook));
    for (const playbook of triggered) expect(outputs, playbook.id).toContain(`${pascalCase(playbook.id)}TriggerRuleArn`);
    for (const playbook of PLAYBOOKS) expect(outputs, playbook.id).toContain(`${pascalCase(playbook.id)}StateMachineArn`);
  });
});
