import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/**
 * Where EventBridge puts an event it could not deliver to a playbook (throttled StartExecution,
 * missing permission, retries exhausted). Encrypted, TLS only, kept the SQS maximum of 14 days so an
 * operator has time to redrive it; an alarm fires on the first message.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      // SSE-SQS: EventBridge can write to it without a key policy, unlike a customer managed key.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason = 'This queue is itself the dead-letter queue of an EventBridge rule target; a DLQ of a DLQ would only move the problem. Its first message raises an alarm.';
    acknowledge(this.queue, 'AwsSolutions-SQS3', reason);
    acknowledge(this.queue, 'Serverless-SQSRedrivePolicy', reason);
  }
}
