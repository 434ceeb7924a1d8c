import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { leadingKeysCondition } from '../table-grants.ts';
import { partitionPattern } from '../../functions/adapters/table.ts';

export interface OpsAccessProps {
  readonly stateMachines: readonly sfn.StateMachine[];
  readonly table: dynamodb.ITable;
  readonly archive: events.Archive;
}

/**
 * What the ops CLI (`npx playbooks executions | history | redrive | replay --stage <stage>`) may do, as
 * two customer-managed policies for the stage's on-call to attach to their own role or permission set
 * (the stack creates no principal: who is on call is the company's, in its identity provider):
 *
 * - `ReadOnly`: an account's executions from its timeline in the ledger (Query on `EXECUTION#` items
 *   only: no customer field), each execution's status and history, the playbooks' definitions.
 * - `Recovery`: redrive a failed execution of the stage, and replay the event archive to the bus.
 *
 * Execution ARNs end with a name known only at run time, and a replay's name is chosen at each replay:
 * those resources end with `*`, each confined to the stage's state machines or its archive's account.
 */
export class OpsAccess extends Construct {
  readonly readOnly: iam.ManagedPolicy;
  readonly recovery: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: OpsAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const executionsOf = (machine: sfn.StateMachine) =>
      stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const machines = props.stateMachines.map((machine) => machine.stateMachineArn);
    const executions = props.stateMachines.map(executionsOf);

    this.readOnly = new iam.ManagedPolicy(this, 'ReadOnly', {
      description: `cs-playbooks ${stack.stackName}: read an account's executions, their status and history (npx playbooks executions / history)`,
      statements: [
        new iam.PolicyStatement({ sid: 'PlaybookDefinitions', actions: ['states:DescribeStateMachine', 'states:ListExecutions'], resources: machines }),
        new iam.PolicyStatement({ sid: 'PlaybookExecutions', actions: ['states:DescribeExecution', 'states:GetExecutionHistory'], resources: executions }),
        new iam.PolicyStatement({
          sid: 'AccountTimelines',
          actions: ['dynamodb:Query'],
          resources: [props.table.tableArn],
          conditions: leadingKeysCondition([partitionPattern('EXECUTION')]),
        }),
        new iam.PolicyStatement({ sid: 'StackOutputs', actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }),
      ],
    });
    this.recovery = new iam.ManagedPolicy(this, 'Recovery', {
      description: `cs-playbooks ${stack.stackName}: redrive a failed execution, replay the event archive (npx playbooks redrive / replay)`,
      statements: [
        // DescribeExecution too: `playbooks redrive` names its client token after the execution's redrive count.
        new iam.PolicyStatement({ sid: 'RedriveExecutions', actions: ['states:RedriveExecution', 'states:DescribeExecution'], resources: executions }),
        new iam.PolicyStatement({ sid: 'ReplayArchive', actions: ['events:StartReplay'], resources: [props.archive.archiveArn] }),
        new iam.PolicyStatement({
          sid: 'FollowReplays',
          actions: ['events:DescribeReplay'],
          resources: [stack.formatArn({ service: 'events', resource: 'replay', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
        }),
      ],
    });

    for (const machine of props.stateMachines) {
      const logicalId = stack.resolve(stack.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine)) as string;
      const finding = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalId}.Name>:*]`;
      for (const policy of [this.readOnly, this.recovery]) {
        acknowledge(policy, finding, 'An execution ARN ends with its name, unknown until it runs: the grant is confined to the executions of one of the stage’s state machines.');
      }
    }
    acknowledge(
      this.recovery,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:replay/*]',
      'A replay is named when it starts (`playbooks replay` names it after its window): DescribeReplay follows the replays of this account and region, and reads nothing of the events.',
    );
  }
}
