import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../functions/adapters/table.ts';
import type { AlarmTopic } from './alarm-topic.ts';
import { acknowledge } from '../nag.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface DispatchDrainProps {
  /** The dispatch domain's function (functions/dispatch). */
  readonly drain: lambda.IFunction;
  readonly table: Table;
  readonly alarms: AlarmTopic;
  /** The stage's metrics namespace: where the drain counts its dead letters. */
  readonly namespace: string;
}

/**
 * What delivers the ledger's dispatches (the CRM mirror, Slack posts, e-mails), and the alarms on them:
 *
 * - **At once:** the table's stream (keys only: no customer data leaves the table) triggers the drain
 *   for each new dispatch, about a second after the step that wrote it. The event source mapping's
 *   filter lets only dispatch inserts through, so the drain is not invoked for the table's other writes.
 *   A batch that fails (DynamoDB itself failing) is retried, then split; one still failing after that
 *   goes to the stream's dead-letter queue, and its dispatch stays due for the sweep anyway.
 * - **Retries:** a rule runs the drain every minute for what is due: a vendor's retry, a dispatch
 *   whose stream batch failed.
 * - **Alarms:** a dispatch that became a dead letter (a refusal, a vendor misconfigured, or a day of
 *   outage), and a stream batch in the dead-letter queue.
 */
export class DispatchDrain extends Construct {
  readonly streamDeadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: DispatchDrainProps) {
    super(scope, id);
    const { drain, table, alarms } = props;
    this.streamDeadLetters = new DeadLetterQueue(this, 'StreamDeadLetters');
    const dispatchInserts = lambda.FilterCriteria.filter({
      eventName: lambda.FilterRule.isEqual('INSERT'),
      dynamodb: { Keys: { [TABLE_SCHEMA.sortKey]: { S: lambda.FilterRule.beginsWith('DISPATCH#') } } },
    });
    (drain as lambda.Function).addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(0),
        bisectBatchOnError: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.streamDeadLetters.queue),
        filters: [dispatchInserts],
      }),
    );
    const sweep = new events.Rule(this, 'Sweep', {
      description: 'Deliver the dispatches due (vendor retries) every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(drain, { retryAttempts: 0 })],
    });
    acknowledge(
      sweep,
      'Serverless-EventBusDLQ',
      'The sweep event carries nothing: a sweep EventBridge could not deliver is replaced by the next one a minute later, which finds the same due dispatches in the ledger. A dead-letter queue would hold only empty timer ticks.',
    );
    // The due and dead dispatches, by due time: the sweep's Query, and the dead letters' (report, runbook).
    drain.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${TABLE_SCHEMA.dispatchIndex.name}`] }));

    alarms.alarmOnAny(
      this,
      'DeadLetterAlarm',
      new cloudwatch.Metric({ namespace: props.namespace, metricName: 'DispatchDeadLetter', dimensionsMap: { service: 'dispatch' }, period: Duration.minutes(5), statistic: 'Sum' }),
      `A dispatch became a dead letter: a CRM mirror, an alert post, a direct message or an e-mail the vendor refused (VendorRejected), that our configuration could not send (VendorMisconfigured: a revoked token, a missing scope, an unverified sender), or that a day of retries did not deliver. The ledger keeps it (sort key DISPATCH#…, its lastError), the report lists it, and for a message the account's CSM has a manual-follow-up task. Look at the dispatch function's log group ("dispatch given up"); fix the vendor's configuration, then re-queue the dead letters (README, "Deliveries to the vendors").`,
    );
    alarms.alarmOnAny(
      this,
      'StreamDeadLetterAlarm',
      this.streamDeadLetters.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      `The table's stream could not hand a batch of new dispatches to the dispatch function (DynamoDB or Lambda failing for over an hour). Nothing is lost: the dispatches stay due and the minute's sweep delivers them. Look at the dispatch function's errors and throttles; once they stop, delete the messages (they hold the stream positions only).`,
    );
  }
}
