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
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}

/** The period every alarm looks at: short enough to page quickly, long enough to batch a burst. */
export const ALARM_PERIOD = Duration.minutes(5);
