import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import { triggerPattern, type RecorderEntry } from '../catalog.ts';
import { ALARM_PERIOD, type AlarmTopic } from './alarm-topic.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { cdkEventPattern, TRIGGER_RETRY } from './playbook-trigger.ts';

export interface EventRecorderProps {
  readonly bus: events.IEventBus;
  readonly recorder: RecorderEntry;
  /** The recorder's action's domain function. */
  readonly fn: IFunction;
  readonly alarms: AlarmTopic;
}

/**
 * A fact recorded straight from the bus (lib/catalog.ts RECORDERS): a rule whose target is the action's
 * domain function, invoked asynchronously with `{ action, input: <the event> }` (the router's request,
 * functions/runtime/action-router.ts). No state machine, no execution per event: a use of the product
 * costs one PutEvents entry, one invocation and a few item writes. EventBridge retries an invocation
 * it could not make, then puts the event in the dead-letter queue; a call that fails is retried twice
 * by Lambda (1, then 2 minutes later), then goes to the same queue; its first message raises an alarm.
 */
export class EventRecorder extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventRecorderProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters');
    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `${props.recorder.id}: ${props.recorder.action}, straight from the bus`,
      eventPattern: cdkEventPattern(triggerPattern(props.recorder)),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.fn, {
        event: events.RuleTargetInput.fromObject({ action: props.recorder.action, input: events.EventField.fromPath('$') }),
        deadLetterQueue: this.deadLetterQueue.queue,
        ...TRIGGER_RETRY,
      }),
    );
    props.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.deadLetterQueue.queue) });
    props.alarms.alarmOnAny(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue.queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      `${props.recorder.id}: events ${props.recorder.action} could not record (EventBridge could not invoke it for 4 hours, or it failed through Lambda's retries: an account the ledger does not know, DynamoDB unavailable). The message is the event, or the invocation's record of it, kept 14 days. Once the cause is fixed, replay the events' time window from the archive to this rule (recording is idempotent), then delete the messages.`,
    );
  }
}
