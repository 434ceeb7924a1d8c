/**
 * The examples below are the documented events and patterns, with their documented outcomes, from:
 *   EP  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 *   CF  https://docs.aws.amazon.com/eventbridge/latest/userguide/content-filtering-with-event-patterns.html
 *   OP  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 *   AR  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 *   NV  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 *   ER  https://github.com/aws/event-ruler (README of the engine behind EventBridge)
 */
import { describe, expect, it } from 'vitest';
import { assertSupportedPattern, matchesEventPattern } from '../../sandbox/bus/event-pattern.ts';

/** EP: "a simple AWS event from Amazon EC2". */
const ec2TerminatedEvent = {
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
const autoScalingEvent = {
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
const macieAlert = {
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
const rulerExampleEvent = {
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
function withDetail<T extends { detail: object }>(event: T, detail: Record<string, unknown>): T {
  return { ...event, detail: { ...event.detail, ...detail } };
}

describe('matchesEventPattern: structure (EP)', () => {
  const terminations = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches the documented EC2 event on source, detail-type and nested detail.state', () => {
    expect(matchesEventPattern(terminations, ec2TerminatedEvent)).toBe(true);
  });

  it('requires every listed field to match (fields are AND-ed)', () => {
    expect(matchesEventPattern(terminations, withDetail(ec2TerminatedEvent, { state: 'running' }))).toBe(false);
    expect(matchesEventPattern(terminations, { ...ec2TerminatedEvent, source: 'aws.s3' })).toBe(false);
  });

  it('requires the same nesting: a top-level "state" does not satisfy detail.state', () => {
    const { detail: _detail, ...withoutDetail } = ec2TerminatedEvent;
    expect(matchesEventPattern(terminations, { ...withoutDetail, state: 'terminated' })).toBe(false);
  });

  it('matches any of the values listed in a leaf array (values are OR-ed)', () => {
    const ec2OrFargate = { source: ['aws.ec2', 'aws.fargate'] };
    expect(matchesEventPattern(ec2OrFargate, ec2TerminatedEvent)).toBe(true);
    expect(matchesEventPattern(ec2OrFargate, { ...ec2TerminatedEvent, source: 'aws.fargate' })).toBe(true);
    expect(matchesEventPattern(ec2OrFargate, { ...ec2TerminatedEvent, source: 'aws.ecs' })).toBe(false);
  });

  it('matches strings character by character, without case folding', () => {
    expect(matchesEventPattern({ source: ['AWS.EC2'] }, ec2TerminatedEvent)).toBe(false);
  });

  it('matches numbers: risk-score 80 and trigger.risk 8 in the Macie alert', () => {
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    expect(matchesEventPattern(pattern, macieAlert)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(macieAlert, { 'risk-score': 79 }))).toBe(false);
  });

  it('does not treat a numeric string as the number', () => {
    expect(matchesEventPattern({ detail: { 'risk-score': [80] } }, withDetail(macieAlert, { 'risk-score': '80' }))).toBe(
      false,
    );
  });

  it('matches booleans exactly', () => {
    const event = { detail: { active: true } };
    expect(matchesEventPattern({ detail: { active: [true] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { active: [false] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { active: ['true'] } }, event)).toBe(false);
  });
});

describe('matchesEventPattern: null values and empty strings (NV, EP)', () => {
  it('matches responseElements null with [null]', () => {
    const pattern = {
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful'],
      detail: { responseElements: [null] },
    };
    expect(matchesEventPattern(pattern, autoScalingEvent)).toBe(true);
  });

  it('matches an empty eventVersion with [""]', () => {
    expect(matchesEventPattern({ detail: { eventVersion: [''] } }, autoScalingEvent)).toBe(true);
  });

  it('does not interchange null and the empty string', () => {
    expect(matchesEventPattern({ detail: { responseElements: [''] } }, autoScalingEvent)).toBe(false);
    expect(matchesEventPattern({ detail: { eventVersion: [null] } }, autoScalingEvent)).toBe(false);
  });

  it('does not match a missing field with [null]', () => {
    expect(matchesEventPattern({ detail: { absent: [null] } }, autoScalingEvent)).toBe(false);
  });

  it('never lets null satisfy a string or numeric operator', () => {
    expect(matchesEventPattern({ detail: { responseElements: [{ prefix: '' }] } }, autoScalingEvent)).toBe(false);
    expect(matchesEventPattern({ detail: { responseElements: [{ numeric: ['>=', 0] }] } }, autoScalingEvent)).toBe(
      false,
    );
  });
});

describe('matchesEventPattern: arrays in events (AR, ER)', () => {
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern array and the event array intersect', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it('does not match when the intersection is empty', () => {
    expect(matchesEventPattern(pattern, { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-x'] })).toBe(false);
    expect(matchesEventPattern(pattern, { resources: [] })).toBe(false);
  });

  it('matches a nested pattern against any object of an event array (ER "employees")', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matchesEventPattern({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
  });

  it('does not combine fields from different array elements (ER array-consistent matching)', () => {
    const event = {
      employees: [
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });
});

describe('matchesEventPattern: prefix (CF)', () => {
  it('matches "time" starting with 2017-10-02', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matchesEventPattern(pattern, { time: '2017-10-02T18:43:48Z' })).toBe(true);
    expect(matchesEventPattern(pattern, { time: '2017-10-03T18:43:48Z' })).toBe(false);
  });

  it('matches Auto Scaling events from European regions', () => {
    const pattern = { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] };
    expect(matchesEventPattern(pattern, { ...autoScalingEvent, region: 'eu-west-1' })).toBe(true);
    expect(matchesEventPattern(pattern, autoScalingEvent)).toBe(false);
  });

  it('ignores case with equals-ignore-case: EventB, EVENTB and eventb', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbridge']) {
      expect(matchesEventPattern(pattern, { detail: { service } })).toBe(true);
    }
    expect(matchesEventPattern(pattern, { detail: { service: 'SNS' } })).toBe(false);
  });

  it('only applies to string values', () => {
    expect(matchesEventPattern({ detail: { n: [{ prefix: '1' }] } }, { detail: { n: 123 } })).toBe(false);
  });
});

describe('matchesEventPattern: suffix (CF)', () => {
  it('matches a FileName ending with .png', () => {
    const pattern = { FileName: [{ suffix: '.png' }] };
    expect(matchesEventPattern(pattern, { FileName: 'image.png' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: 'image.PNG' })).toBe(false);
    expect(matchesEventPattern(pattern, { FileName: 'image.jpg' })).toBe(false);
  });

  it('ignores case with equals-ignore-case: .png and .PNG', () => {
    const pattern = { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } };
    expect(matchesEventPattern(pattern, { detail: { FileName: 'image.png' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { FileName: 'image.PNG' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { FileName: 'image.gif' } })).toBe(false);
  });
});

describe('matchesEventPattern: equals-ignore-case (OP)', () => {
  it('matches Name "Alice" with { equals-ignore-case: "alice" }', () => {
    const pattern = { Name: [{ 'equals-ignore-case': 'alice' }] };
    expect(matchesEventPattern(pattern, { Name: 'Alice' })).toBe(true);
    expect(matchesEventPattern(pattern, { Name: 'ALICE' })).toBe(true);
    expect(matchesEventPattern(pattern, { Name: 'Alicia' })).toBe(false);
  });
});

describe('matchesEventPattern: wildcard (OP, ER)', () => {
  it('matches any .png file located within the folder "dir"', () => {
    const pattern = { FileName: [{ wildcard: 'dir/*.png' }] };
    expect(matchesEventPattern(pattern, { FileName: 'dir/image.png' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: 'dir/sub/image.png' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: 'other/image.png' })).toBe(false);
    expect(matchesEventPattern(pattern, { FileName: 'dir/image.png.bak' })).toBe(false);
  });

  it('matches "Simple*Service" with zero or more characters for the star', () => {
    const pattern = { source: [{ wildcard: 'Simple*Service' }] };
    expect(matchesEventPattern(pattern, { source: 'SimpleQueueService' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'SimpleService' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'simplequeueservice' })).toBe(false);
  });

  it('treats \\* as a literal star and \\\\ as a literal backslash', () => {
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' })).toBe(true);
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'axb' })).toBe(false);
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\\\b' }] }, { v: 'a\\b' })).toBe(true);
  });

  it('treats other regular-expression characters literally', () => {
    expect(matchesEventPattern({ v: [{ wildcard: 'a.b*' }] }, { v: 'axb-1' })).toBe(false);
    expect(matchesEventPattern({ v: [{ wildcard: 'a.b*' }] }, { v: 'a.b-1' })).toBe(true);
  });
});

describe('matchesEventPattern: anything-but (CF, OP)', () => {
  it('matches any state but "initializing"', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { state: 'initializing' }))).toBe(false);
  });

  it('matches any x-limit but 123', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': 123 }] } };
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { 'x-limit': 123 }))).toBe(false);
  });

  it('excludes a list of strings: "stopped", "overloaded"', () => {
    const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { state: 'overloaded' }))).toBe(false);
  });

  it('excludes a list of numbers: 100, 200, 300', () => {
    const pattern = { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } };
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { 'x-limit': 200 }))).toBe(false);
  });

  it('excludes a prefix: any state not starting with "init"', () => {
    const pattern = { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } };
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { state: 'initializing' }))).toBe(false);
  });

  it('excludes a prefix: only your own events, not those whose source starts with "aws."', () => {
    const pattern = { source: [{ 'anything-but': { prefix: 'aws.' } }] };
    expect(matchesEventPattern(pattern, { source: 'cs-playbooks' })).toBe(true);
    expect(matchesEventPattern(pattern, ec2TerminatedEvent)).toBe(false);
  });

  it('excludes a suffix: FileName not ending with .png', () => {
    const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matchesEventPattern(pattern, { FileName: 'notes.txt' })).toBe(true);
    expect(matchesEventPattern(pattern, { FileName: 'image.png' })).toBe(false);
  });

  it('excludes regardless of case: not "initializing" nor "INITIALIZING"', () => {
    const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(matchesEventPattern(pattern, { state: 'running' })).toBe(true);
    expect(matchesEventPattern(pattern, { state: 'INITIALIZING' })).toBe(false);
  });

  it('excludes a wildcard: FilePath not including /lib/', () => {
    const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesEventPattern(pattern, { FilePath: '/usr/bin/node' })).toBe(true);
    expect(matchesEventPattern(pattern, { FilePath: '/usr/lib/node' })).toBe(false);
  });

  it('does not match a missing field (it is not "anything")', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(matchesEventPattern(pattern, { detail: {} })).toBe(false);
  });

  it('matches an event array when any element is not excluded', () => {
    const pattern = { detail: { tags: [{ 'anything-but': 'Insider' }] } };
    expect(matchesEventPattern(pattern, macieAlert)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(macieAlert, { tags: ['Insider'] }))).toBe(false);
  });
});

describe('matchesEventPattern: numeric (CF, ER)', () => {
  const pattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };

  it('matches only when every numeric condition holds', () => {
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { 'c-count': 6 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { 'c-count': 0 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { 'd-count': 10 }))).toBe(false);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { 'x-limit': 301.9 }))).toBe(false);
  });

  it('compares numbers numerically and only works on JSON numbers', () => {
    const atLeastNine = { detail: { score: [{ numeric: ['>=', 9] }] } };
    expect(matchesEventPattern(atLeastNine, { detail: { score: 10 } })).toBe(true);
    // As strings "10" < "9"; as numbers 10 >= 9. And a numeric string is not a number.
    expect(matchesEventPattern(atLeastNine, { detail: { score: '10' } })).toBe(false);
  });
});

describe('matchesEventPattern: exists (CF, ER)', () => {
  it('exists:true matches the documented event that has detail.state', () => {
    const pattern = { detail: { state: [{ exists: true }] } };
    const event = {
      version: '0',
      id: '7bf73129-1428-4cd3-a780-95db273d1602',
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      account: '123456789012',
      time: '2015-11-11T21:29:54Z',
      region: 'us-east-1',
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
      detail: { 'instance-id': 'i-abcd1111', state: 'pending' },
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it('exists:true does not match the documented event without detail.state', () => {
    const pattern = { detail: { state: [{ exists: true }] } };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { 'c-count': { c1: 100 } },
    };
    expect(matchesEventPattern(pattern, event)).toBe(false);
  });

  it('exists:false matches an event that does not have detail.c-count', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(false);
  });

  it('exists:false also matches when c-count is an object, because exists only works on leaf nodes', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    const event = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
      detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it('exists:false matches when the whole parent object is missing', () => {
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: false }] } }, { source: 'x' })).toBe(true);
  });

  it('exists:true matches a field present with a null value (presence, not value)', () => {
    expect(matchesEventPattern({ detail: { responseElements: [{ exists: true }] } }, autoScalingEvent)).toBe(true);
  });
});

describe('matchesEventPattern: combined and $or (CF, ER, OP)', () => {
  it('combines prefix, anything-but and numeric (documented complex example)', () => {
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    expect(matchesEventPattern(pattern, rulerExampleEvent)).toBe(true);
    expect(matchesEventPattern(pattern, withDetail(rulerExampleEvent, { state: 'initializing' }))).toBe(false);
    expect(matchesEventPattern(pattern, { ...rulerExampleEvent, time: '2017-10-03T00:00:00Z' })).toBe(false);
  });

  it('$or: Location is "New York", or Day is "Monday"', () => {
    const pattern = { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] };
    expect(matchesEventPattern(pattern, { Location: 'New York', Day: 'Friday' })).toBe(true);
    expect(matchesEventPattern(pattern, { Location: 'Boston', Day: 'Monday' })).toBe(true);
    expect(matchesEventPattern(pattern, { Location: 'Boston', Day: 'Friday' })).toBe(false);
  });

  it('$or inside an AND: "source" && ("metricName" || ("metricType" && "namespace") || "scope")', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
        { scope: ['Service'] },
      ],
    };
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' })).toBe(
      true,
    );
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType' })).toBe(false);
    expect(matchesEventPattern(pattern, { source: 'aws.s3', scope: 'Service' })).toBe(false);
  });

  it('$or nested under detail, in parallel with a top-level $or', () => {
    const pattern = {
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    };
    expect(matchesEventPattern(pattern, { namespace: 'AWS/EC2', detail: { source: 'aws.cloudwatch' } })).toBe(true);
    expect(matchesEventPattern(pattern, { namespace: 'AWS/EC2', detail: { source: 'aws.s3' } })).toBe(false);
  });
});

describe('matchesEventPattern: cs-playbooks rules', () => {
  const npsRule = { source: ['cs-playbooks'], 'detail-type': ['NpsResponseReceived'] };
  const envelope = {
    version: '0',
    id: '0d5c1c3e-2b7e-4d53-9f0e-3f1f3c0a9a11',
    source: 'cs-playbooks',
    account: '123456789012',
    time: '2025-01-06T09:00:00Z',
    region: 'eu-west-1',
    resources: [],
  };

  it('routes NpsResponseReceived from cs-playbooks', () => {
    const event = { ...envelope, 'detail-type': 'NpsResponseReceived', detail: { accountId: 'acc-1', score: 3 } };
    expect(matchesEventPattern(npsRule, event)).toBe(true);
  });

  it('does not route AccountUpdated', () => {
    const event = { ...envelope, 'detail-type': 'AccountUpdated', detail: { accountId: 'acc-1' } };
    expect(matchesEventPattern(npsRule, event)).toBe(false);
  });
});

describe('assertSupportedPattern', () => {
  it('accepts every documented pattern used above', () => {
    expect(() =>
      assertSupportedPattern({
        time: [{ prefix: '2017-10-02' }],
        detail: {
          service: [{ prefix: { 'equals-ignore-case': 'EventB' } }],
          FileName: [{ suffix: { 'equals-ignore-case': '.png' } }, { wildcard: 'dir/*.png' }],
          state: [{ 'anything-but': { prefix: 'init' } }, { exists: true }, null, 'x', 1, false],
          'x-limit': [{ 'anything-but': [100, 200, 300] }, { numeric: ['=', 3.018e2] }],
          FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }],
          Name: [{ 'anything-but': { 'equals-ignore-case': ['alice', 'bob'] } }],
        },
        $or: [{ a: ['1'] }, { b: ['2'] }],
      }),
    ).not.toThrow();
  });

  it('rejects a leaf that is not an array, naming its path', () => {
    expect(() => assertSupportedPattern({ source: 'cs-playbooks' })).toThrow(/\$\.source\b.*array/);
  });

  it('rejects an unknown operator, naming its path', () => {
    expect(() => assertSupportedPattern({ detail: { x: [{ bogus: 1 }] } })).toThrow(
      /\$\.detail\.x\[0\].*unsupported operator "bogus"/,
    );
  });

  it('rejects cidr, which the sandbox does not evaluate', () => {
    expect(() => assertSupportedPattern({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toThrow(
      /\$\.detail\["source-ip"\]\[0\].*"cidr"/,
    );
  });

  it.each([
    ['a non-object pattern', ['aws.ec2'], /at \$:/],
    ['an empty pattern', {}, /at \$: must not be an empty object/],
    ['an empty nested object', { detail: {} }, /\$\.detail: must not be an empty object/],
    ['an empty leaf array', { source: [] }, /\$\.source: must list at least one matcher/],
    ['a nested array in a leaf', { source: [['a']] }, /\$\.source\[0\]/],
    ['two operators in one object', { v: [{ prefix: 'a', suffix: 'b' }] }, /\$\.v\[0\].*exactly one key/],
    ['a non-string prefix', { v: [{ prefix: 1 }] }, /\$\.v\[0\]\.prefix: must be a string/],
    ['a non-boolean exists', { v: [{ exists: 'true' }] }, /\$\.v\[0\]\.exists: must be true or false/],
    ['an unknown numeric operator', { v: [{ numeric: ['!=', 1] }] }, /\$\.v\[0\]\.numeric\[0\]/],
    ['a numeric range in the wrong order', { v: [{ numeric: ['<', 5, '>', 0] }] }, /\$\.v\[0\]\.numeric\[0\]/],
    ['an empty numeric range', { v: [{ numeric: ['>', 5, '<', 5] }] }, /lower bound must be below/],
    ['a numeric string bound', { v: [{ numeric: ['>', '5'] }] }, /\$\.v\[0\]\.numeric\[1\]/],
    ['a numeric bound beyond 1e9', { v: [{ numeric: ['>', 2e9] }] }, /\$\.v\[0\]\.numeric\[1\]/],
    ['a mixed anything-but list', { v: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/],
    ['anything-but null', { v: [{ 'anything-but': null }] }, /\$\.v\[0\]\["anything-but"\]/],
    ['anything-but with a list of prefixes', { v: [{ 'anything-but': { prefix: ['a', 'b'] } }] }, /must be a string/],
    ['anything-but numeric', { v: [{ 'anything-but': { numeric: ['>', 1] } }] }, /unsupported anything-but operator/],
    ['consecutive wildcards', { v: [{ wildcard: 'a**b' }] }, /consecutive "\*"/],
    ['a backslash escaping a letter', { v: [{ wildcard: 'a\\b' }] }, /backslash/],
    ['$or with a single branch', { $or: [{ a: ['1'] }] }, /\$\.\$or: \$or must be an array of at least two/],
    ['$or as an object', { $or: { a: ['1'] } }, /\$\.\$or/],
    ['a malformed $or branch', { $or: [{ a: ['1'] }, { b: '2' }] }, /\$\.\$or\[1\]\.b/],
  ])('rejects %s', (_name, pattern, message) => {
    expect(() => assertSupportedPattern(pattern)).toThrow(message);
  });

  it('is also enforced by matchesEventPattern, so an unchecked pattern never matches silently', () => {
    expect(() => matchesEventPattern({ source: 'cs-playbooks' }, { source: 'cs-playbooks' })).toThrow(/\$\.source/);
  });
});
