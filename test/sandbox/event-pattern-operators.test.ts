/**
 * The content-filtering operators: prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric
 * and exists. The examples are the documented ones, with their documented outcomes (CF, OP, ER: see
 * ../support/eventbridge-examples.ts).
 */
import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from '../../sandbox/bus/event-pattern.ts';
import { autoScalingEvent, ec2TerminatedEvent, macieAlert, rulerExampleEvent, withDetail } from '../support/eventbridge-examples.ts';

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
