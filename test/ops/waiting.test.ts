import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { valueAt, waitingOf } from '../../sandbox/ops/waiting.ts';

// What `playbooks executions` says a running execution waits for (sandbox/ops/waiting.ts), from its
// latest history events (newest first) and its definition, as Step Functions computes a wait's end.

const ENTERED = new Date('2026-03-18T09:00:00Z');
const entered = (name: string, type: string, input: unknown): HistoryEvent => ({ id: 2, timestamp: ENTERED, type: `${type}StateEntered` as never, stateEnteredEventDetails: { name, input: JSON.stringify(input) } });

describe('given a running execution', () => {
  it('in a Wait on a timestamp of its input, then it waits there until that instant', () => {
    const definition = { States: { CoolDown: { Type: 'Wait', TimestampPath: '$.plan.callAt' } } };
    expect(waitingOf([entered('CoolDown', 'Wait', { plan: { callAt: '2026-03-20T08:00:00Z' } })], definition)).toEqual({ state: 'CoolDown', kind: 'wait', until: '2026-03-20T08:00:00.000Z' });
  });

  it('in a Wait of fixed seconds, then until that long after it entered', () => {
    const definition = { States: { Pause: { Type: 'Wait', Seconds: 3600 } } };
    expect(waitingOf([entered('Pause', 'Wait', {})], definition)).toMatchObject({ kind: 'wait', until: '2026-03-18T10:00:00.000Z' });
  });

  it("in a Task waiting for a callback (a CSM's approval), then until its timeout", () => {
    const definition = { States: { AwaitApproval: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSecondsPath: '$.approval.timeoutSeconds' } } };
    expect(waitingOf([entered('AwaitApproval', 'Task', { approval: { timeoutSeconds: 86_400 } })], definition)).toEqual({
      state: 'AwaitApproval',
      kind: 'callback',
      until: '2026-03-19T09:00:00.000Z',
    });
  });

  it('whose last attempt of a step failed, then it retries that step, after that error', () => {
    const failed: HistoryEvent = { id: 3, timestamp: ENTERED, type: 'TaskFailed', taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'VendorUnavailable', cause: '{}' } };
    expect(waitingOf([failed, entered('PostAlert', 'Task', {})], { States: { PostAlert: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke' } } })).toEqual({
      state: 'PostAlert',
      kind: 'retry',
      error: 'VendorUnavailable',
    });
  });

  it("in a state inside a Map's iteration, then that state, found in the Map's processor", () => {
    const definition = { States: { EachGroup: { Type: 'Map', ItemProcessor: { States: { UntilTheirMonday: { Type: 'Wait', TimestampPath: '$.at' } } } } } };
    expect(waitingOf([entered('UntilTheirMonday', 'Wait', { at: '2026-03-23T07:00:00Z' })], definition)).toMatchObject({ state: 'UntilTheirMonday', until: '2026-03-23T07:00:00.000Z' });
  });

  it('with no state entered yet, then nothing is said', () => {
    expect(waitingOf([{ id: 1, timestamp: ENTERED, type: 'ExecutionStarted' }], { States: {} })).toBeUndefined();
  });
});

it('reads reference paths as ASL writes them', () => {
  expect(valueAt({ a: { b: [{ c: 7 }] } }, '$.a.b[0].c')).toBe(7);
  expect(valueAt({ a: 1 }, '$.missing.deeper')).toBeUndefined();
});
