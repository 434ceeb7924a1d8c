import { ArnFormat, Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The topic every alarm notifies (subscribe the on-call address or chat integration to it).
 * Encrypted with a customer managed key because CloudWatch alarms cannot publish to a topic encrypted
 * with the AWS managed `aws/sns` key, whose policy cannot grant CloudWatch; TLS-only publishing.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { readonly removalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the CS playbooks alarm topic',
      enableKeyRotation: true,
      // It encrypts notifications in flight only: a destroyed dev stack need not keep paying for it.
      removalPolicy: props.removalPolicy,
    });
    // Key policies take `*` as "this key". CloudWatch needs the data key to publish encrypted alarms,
    // but only for this account's alarms in this region: without the source conditions, the service
    // principal would let CloudWatch use the key on behalf of any account (confused deputy).
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
          },
        },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'CS playbooks alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
  }

  /** An alarm that notifies the topic as soon as `metric` reaches 1 in a period. */
  alarmOnAny(scope: Construct, id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    return this.alarm(scope, id, { metric, threshold: 1, description });
  }

  /**
   * An alarm that notifies the topic when `metric` reaches `threshold` in `evaluationPeriods`
   * consecutive periods (1 unless said; CloudWatch then needs all of them). No data is not a breach:
   * nothing happened.
   */
  alarm(scope: Construct, id: string, { metric, threshold, evaluationPeriods = 1, description }: AlarmRule): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}

export interface AlarmRule {
  readonly metric: cloudwatch.IMetric;
  /** Reached (`>=`) in each of `evaluationPeriods` consecutive periods. */
  readonly threshold: number;
  readonly evaluationPeriods?: number;
  /** What it means and what to look at, for the person on call (CloudWatch allows 1024 characters). */
  readonly description: string;
}

/** The period every alarm looks at: short enough to page quickly, long enough to batch a burst. */
export const ALARM_PERIOD = Duration.minutes(5);
