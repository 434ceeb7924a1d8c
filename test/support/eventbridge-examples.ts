/**
 * The documented example events the event-pattern tests match against. Those tests take their events,
 * patterns and expected outcomes from these pages, and cite them by these keys:
 *   EP  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 *   CF  https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html
 *   OP  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *   AR  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 *   NV  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 *   ER  https://github.com/aws/event-ruler (README of the engine behind EventBridge)
 */

/** EP: "a simple AWS event from Amazon EC2". */
export const ec2TerminatedEvent = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** EP / NV: the Auto Scaling event with an empty string and a null. */
export const autoScalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

/** EP: the (truncated) Macie Classic alert. */
export const macieAlert = {
  version: '0',
  id: '3e355723-fca9-4de3-9fd7-154c289d6b59',
  'detail-type': 'Macie Alert',
  source: 'aws.macie',
  account: '123456789012',
  time: '2017-04-24T22:28:49Z',
  region: 'us-east-1',
  resources: [
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id/alert/alert_id',
    'arn:aws:macie:us-east-1:123456789012:trigger/trigger_id',
  ],
  detail: {
    'notification-type': 'ALERT_CREATED',
    name: 'Scanning bucket policies',
    tags: ['Custom_Alert', 'Insider'],
    'risk-score': 80,
    trigger: { 'alert-type': 'basic', risk: 8 },
  },
};

/** ER: the example event used throughout the content-filtering examples. */
export const rulerExampleEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** Shallow-merges `detail` so each example can vary one documented field. */
export function withDetail<T extends { detail: object }>(event: T, detail: Record<string, unknown>): T {
  return { ...event, detail: { ...event.detail, ...detail } };
}
