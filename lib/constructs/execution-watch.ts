import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { z } from '../../functions/contracts/zod.ts';
// Types only: the modules validate their environment when loaded, which must not happen at synth.
import type { ExecutionStatusEvent } from '../../functions/executions/status-change.ts';
import type { ExecutionsEnvironment } from '../../functions/executions/environment.ts';
import { ENDPOINT_TABLE_ACCESS } from '../functions.ts';
import { acknowledge } from '../nag.ts';
import { leadingKeysCondition, tableStatements } from '../table-grants.ts';
import { ALARM_PERIOD, type AlarmTopic } from './alarm-topic.ts';
import { BundledFunction, type BundledHolidays } from './bundled-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export const EXECUTIONS_ENTRY = 'functions/executions/handler.ts';

/**
 * State machines per rule: an event pattern holds 2,048 characters by default, and a state machine's
 * ARN with a generated name about 120.
 */
export const STATE_MACHINES_PER_RULE = 10;

export interface ExecutionWatchProps {
  /** The stage's playbooks, by id: only their executions are looked at, and only theirs may be redriven. */
  readonly stateMachines: Readonly<Record<string, sfn.StateMachine>>;
  /** The ledger, where each execution goes on its account's timeline. */
  readonly table: dynamodb.ITable;
  readonly alarms: AlarmTopic;
  readonly environment: Omit<z.input<typeof ExecutionsEnvironment>, 'TABLE_NAME' | 'PLAYBOOK_STATE_MACHINES'>;
  readonly holidays: BundledHolidays;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * What happens to every playbook execution (functions/executions): Step Functions reports each status
 * change (started, ended, redriven) to the account's default event bus; rules there pass the stage's to
 * the executions function, which writes the execution on its account's timeline (so ops find an
 * account's executions in one query, `playbooks executions --account`), and redrives a failed one when
 * it failed because AWS was failing, counting the others per state machine (each playbook's
 * StayedFailedAlarm, lib/stage-alarms.ts). A change the function could not take (EventBridge could not
 * invoke it, or it failed through Lambda's retries: DynamoDB or Step Functions unavailable) goes to a
 * dead-letter queue whose first message pages ops.
 */
export class ExecutionWatch extends Construct {
  readonly redrive: BundledFunction;
  readonly rules: readonly events.Rule[];
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ExecutionWatchProps) {
    super(scope, id);
    this.redrive = new BundledFunction(this, 'Function', {
      entry: EXECUTIONS_ENTRY,
      description: 'executions: put each playbook execution on its account timeline, and redrive one that failed because AWS was failing',
      environment: {
        ...props.environment,
        TABLE_NAME: props.table.tableName,
        PLAYBOOK_STATE_MACHINES: Stack.of(scope).toJsonString(Object.fromEntries(Object.entries(props.stateMachines).map(([playbook, machine]) => [machine.stateMachineName, playbook]))),
      } satisfies z.input<typeof ExecutionsEnvironment>,
      memorySize: 256,
      timeout: Duration.seconds(30),
      holidays: props.holidays,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters');
    props.alarms.alarmOnAny(
      this,
      'DeadLetterAlarm',
      this.deadLetters.queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      `A playbook execution changed status and the executions function could not take it: EventBridge could not invoke the function for 4 hours, or it failed through Lambda's retries (DynamoDB or Step Functions unavailable, a missing permission). The message is the status change (its executionArn, status and error) or the invocation's record of it, kept 14 days. Look at the executions function's errors and log group; once fixed, send the message's body to the function again (it is idempotent) or, for a FAILED one whose error is an AWS outage's, redrive the execution by hand (npx playbooks redrive <executionArn> --stage <stage>), then delete the message.`,
    );
    // Lambda's retries of an invocation that failed (about 3 minutes), then the queue.
    this.redrive.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.deadLetters.queue) });
    const machines = Object.values(props.stateMachines);
    for (const { actions, leadingKeys } of tableStatements(ENDPOINT_TABLE_ACCESS.executions)) {
      this.redrive.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [props.table.tableArn], conditions: leadingKeysCondition(leadingKeys) }));
    }
    if (machines.length === 0) {
      this.rules = [];
      return;
    }
    const stack = Stack.of(this);
    // Exactly the stage's executions (`execution:<state machine name>:<execution name>`): redrive one, and
    // read its status when Step Functions refuses (already running again, or no longer redrivable).
    this.redrive.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['states:RedriveExecution', 'states:DescribeExecution'],
        resources: machines.map((machine) =>
          stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        ),
      }),
    );
    for (const machine of machines) {
      const logicalId = stack.resolve(stack.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine)) as string;
      acknowledge(
        this.redrive.role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalId}.Name>:*]`,
        'RedriveExecution and DescribeExecution act on an execution, whose ARN ends with its name, unknown until it runs: the grant is confined to the executions of one of the stage’s state machines.',
      );
    }

    // What the function needs, never the execution's output. The input is the bus event that started it
    // (ids only: the ingest seals personal fields), of which the timeline keeps the account and event ids.
    const change = {
      executionArn: events.EventField.fromPath('$.detail.executionArn'),
      stateMachineArn: events.EventField.fromPath('$.detail.stateMachineArn'),
      status: events.EventField.fromPath('$.detail.status'),
      startDate: events.EventField.fromPath('$.detail.startDate'),
      stopDate: events.EventField.fromPath('$.detail.stopDate'),
      redriveCount: events.EventField.fromPath('$.detail.redriveCount'),
      error: events.EventField.fromPath('$.detail.error'),
      input: events.EventField.fromPath('$.detail.input'),
    } satisfies Record<keyof ExecutionStatusEvent, string>;
    const rules: events.Rule[] = [];
    for (let start = 0; start < machines.length; start += STATE_MACHINES_PER_RULE) {
      const watched = machines.slice(start, start + STATE_MACHINES_PER_RULE);
      const rule = new events.Rule(this, `Failed${rules.length + 1}`, {
        // No eventBus: AWS services' events go to the account's default bus.
        description: 'A playbook execution of this stage started, ended or was redriven: on its account timeline, and redriven if it failed because AWS was failing',
        eventPattern: {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: { stateMachineArn: watched.map((machine) => machine.stateMachineArn) },
        },
        targets: [
          new targets.LambdaFunction(this.redrive.function, {
            event: events.RuleTargetInput.fromObject(change),
            retryAttempts: 8,
            maxEventAge: Duration.hours(4),
            deadLetterQueue: this.deadLetters.queue,
          }),
        ],
      });
      rules.push(rule);
    }
    this.rules = rules;
  }
}
