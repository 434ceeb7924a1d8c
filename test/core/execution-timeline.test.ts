import { describe, expect, it } from 'vitest';
import { accountOfInput, startingEventOf, stateMachineNameOf, statusOrder, timelineExecution, type ExecutionStatusChange } from '../../functions/core/executions/timeline.ts';

// Every playbook execution on its account's timeline (functions/core/executions/timeline.ts).

const MACHINE = 'arn:aws:states:eu-west-3:123456789012:stateMachine:NpsResponseStateMachine-AbC';
const change = (overrides: Partial<ExecutionStatusChange> = {}): ExecutionStatusChange => ({
  executionArn: 'arn:aws:states:eu-west-3:123456789012:execution:NpsResponseStateMachine-AbC:3f2a',
  stateMachineArn: MACHINE,
  status: 'RUNNING',
  startDate: Date.parse('2026-03-18T09:00:00Z'),
  redriveCount: 0,
  input: JSON.stringify({ 'detail-type': 'NpsResponseReceived', detail: { eventId: 'evt-1', accountId: 'acc-paris', score: 3 } }),
  ...overrides,
});

describe('whose timeline an execution goes on', () => {
  it("given an execution started by an event, then it is the event's account's", () => {
    expect(accountOfInput({ detail: { accountId: 'acc-paris' } })).toBe('acc-paris');
  });

  it("given an execution a playbook handed an account over to (a no-contact check, an alert reminder), then it is that account's", () => {
    expect(accountOfInput({ check: { accountId: 'acc-lyon' } })).toBe('acc-lyon');
    expect(accountOfInput({ reminder: { accountId: 'acc-nice' } })).toBe('acc-nice');
  });

  it('given a scheduled run of the stage (the nightly rescore, the Monday digest), then it is on no timeline', () => {
    expect(accountOfInput({ night: '2026-03-18T00:00:00Z' })).toBeUndefined();
    expect(timelineExecution(change({ input: JSON.stringify({ night: '2026-03-18T00:00:00Z' }) }), 'health-nightly')).toBeUndefined();
  });

  it('given an input Step Functions truncated (over 248 KiB), then it is on no timeline rather than a wrong one', () => {
    expect(timelineExecution(change({ input: '{"detail":{"accountId":"acc-par' }), 'nps-response')).toBeUndefined();
  });
});

describe('what the timeline keeps of an execution', () => {
  it('given a running execution, then its playbook, ARN, the event that started it (type and id only), its start and status', () => {
    expect(timelineExecution(change(), 'nps-response')).toEqual({
      accountId: 'acc-paris',
      playbook: 'nps-response',
      executionArn: change().executionArn,
      startedBy: { detailType: 'NpsResponseReceived', eventId: 'evt-1' },
      startedAt: '2026-03-18T09:00:00.000Z',
      status: 'RUNNING',
      redriveCount: 0,
      order: 0,
    });
  });

  it('given a failed execution, then also its end and its error name', () => {
    expect(timelineExecution(change({ status: 'FAILED', stopDate: Date.parse('2026-03-18T09:01:00Z'), error: 'AutomationFailed' }), 'nps-response')).toMatchObject({
      status: 'FAILED',
      stoppedAt: '2026-03-18T09:01:00.000Z',
      error: 'AutomationFailed',
    });
  });

  it('given an execution started by a hand-over, then the timeline says so', () => {
    expect(startingEventOf({ check: { accountId: 'acc-paris' } })).toEqual({ handedOverAs: 'check' });
  });
});

describe('which status change wins (EventBridge does not keep order)', () => {
  it('given a run, then its end comes after its start', () => {
    expect(statusOrder({ status: 'SUCCEEDED', redriveCount: 0 })).toBeGreaterThan(statusOrder({ status: 'RUNNING', redriveCount: 0 }));
  });

  it('given a redrive, then the run again comes after the failure it redrives, and its end after that', () => {
    const failed = statusOrder({ status: 'FAILED', redriveCount: 0 });
    const again = statusOrder({ status: 'RUNNING', redriveCount: 1 });
    expect(again).toBeGreaterThan(failed);
    expect(statusOrder({ status: 'SUCCEEDED', redriveCount: 1 })).toBeGreaterThan(again);
  });
});

it('names the state machine of either ARN', () => {
  expect(stateMachineNameOf(MACHINE)).toBe('NpsResponseStateMachine-AbC');
  expect(stateMachineNameOf(change().executionArn)).toBe('NpsResponseStateMachine-AbC');
});
