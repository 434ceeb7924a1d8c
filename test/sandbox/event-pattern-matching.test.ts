/**
 * How a pattern matches an event: structure, null and empty values, arrays in events, combined
 * conditions and $or, and the cs-playbooks rules. The examples are the documented ones, with their
 * documented outcomes (EP, NV, AR, CF, ER, OP: see ../support/eventbridge-examples.ts).
 */
import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from '../../sandbox/bus/event-pattern.ts';
import { autoScalingEvent, ec2TerminatedEvent, macieAlert, rulerExampleEvent, withDetail } from '../support/eventbridge-examples.ts';

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
