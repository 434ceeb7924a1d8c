import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { z } from '../../functions/contracts/zod.ts';
// Types only: the modules validate their environment when loaded, which must not happen at synth.
import type { FailedExecutionEvent } from '../../functions/redrive/redrive-failed-execution.ts';
import type { RedriveEnvironment } from '../../functions/redrive/environment.ts';
import { acknowledge } from '../nag.ts';
import { ALARM_PERIOD, type AlarmTopic } from './alarm-topic.ts';
import { BundledFunction, type BundledHolidays } from './bundled-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export const REDRIVE_ENTRY = 'functions/redrive/handler.ts';

/**
 * State machines per rule: an event pattern holds 2,048 characters by default, and a state machine's
 * ARN with a generated name about 120.
 */
export const STATE_MACHINES_PER_RULE = 10;

export interface AutomaticRedriveProps {
  /** The stage's playbooks: only their executions are looked at, and only theirs may be redriven. */
  readonly stateMachines: readonly sfn.StateMachine[];
  readonly alarms: AlarmTopic;
  readonly environment: z.input<typeof RedriveEnvironment>;
  readonly holidays: BundledHolidays;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Failed executions run again when they failed because AWS was failing (functions/redrive): Step
 * Functions reports every status change to the account's default event bus; rules there pass the
 * stage's failures to the redrive function, which redrives those the rule allows and counts the others
 * per state machine (each playbook's StayedFailedAlarm, lib/stage-alarms.ts). A failure the function
 * could not take (EventBridge could not invoke it, or it failed through Lambda's retries: Step Functions
 * itself unavailable) goes to a dead-letter queue whose first message pages ops.
 */
export class AutomaticRedrive extends Construct {
  readonly redrive: BundledFunction;
  readonly rules: readonly events.Rule[];
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: AutomaticRedriveProps) {
    super(scope, id);
    this.redrive = new BundledFunction(this, 'Function', {
      entry: REDRIVE_ENTRY,
      description: 'redrive: run a playbook execution again from where it failed, when it failed because AWS was failing',
      environment: props.environment,
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
      `A playbook execution failed and the redrive function could not look at it: EventBridge could not invoke the function for 4 hours, or it failed through Lambda's retries (Step Functions unavailable, a missing permission). The message is the failure (its executionArn and error) or the invocation's record of it, kept 14 days. Look at the redrive function's errors and log group; once fixed, redrive the execution by hand if its error is an AWS outage's (aws stepfunctions redrive-execution --execution-arn …) or tell the account's CSM, then delete the message.`,
    );
    // Lambda's retries of an invocation that failed (about 3 minutes), then the queue.
    this.redrive.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.deadLetters.queue) });
    if (props.stateMachines.length === 0) {
      this.rules = [];
      return;
    }
    const stack = Stack.of(this);
    // Exactly the stage's executions (`execution:<state machine name>:<execution name>`): redrive one, and
    // read its status when Step Functions refuses (already running again, or no longer redrivable).
    this.redrive.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['states:RedriveExecution', 'states:DescribeExecution'],
        resources: props.stateMachines.map((machine) =>
          stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        ),
      }),
    );
    for (const machine of props.stateMachines) {
      const logicalId = stack.resolve(stack.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine)) as string;
      acknowledge(
        this.redrive.role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${logicalId}.Name>:*]`,
        'RedriveExecution and DescribeExecution act on an execution, whose ARN ends with its name, unknown until it runs: the grant is confined to the executions of one of the stage’s state machines.',
      );
    }

    // Only what the rule needs, never the execution's input or output (they hold the account's data).
    const failure = {
      executionArn: events.EventField.fromPath('$.detail.executionArn'),
      error: events.EventField.fromPath('$.detail.error'),
      redriveCount: events.EventField.fromPath('$.detail.redriveCount'),
      stopDate: events.EventField.fromPath('$.detail.stopDate'),
    } satisfies Record<keyof FailedExecutionEvent, string>;
    const rules: events.Rule[] = [];
    for (let start = 0; start < props.stateMachines.length; start += STATE_MACHINES_PER_RULE) {
      const machines = props.stateMachines.slice(start, start + STATE_MACHINES_PER_RULE);
      const rule = new events.Rule(this, `Failed${rules.length + 1}`, {
        // No eventBus: AWS services' events go to the account's default bus.
        description: 'A playbook execution of this stage failed: the redrive function decides whether to run it again',
        eventPattern: {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: { status: ['FAILED'], stateMachineArn: machines.map((machine) => machine.stateMachineArn) },
        },
        targets: [
          new targets.LambdaFunction(this.redrive.function, {
            event: events.RuleTargetInput.fromObject(failure),
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
