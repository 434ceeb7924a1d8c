import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { stateOutcomes } from '../../sandbox/console/outcomes.ts';

// How the console colours each state of an execution's graph (sandbox/console/outcomes.ts), from its history.

let id = 0;
const at = new Date('2026-03-18T09:00:00Z');
const enter = (name: string, type = 'Task'): HistoryEvent => ({ id: ++id, timestamp: at, type: `${type}StateEntered` as never, stateEnteredEventDetails: { name, input: '{}' } });
const exit = (name: string, type = 'Task'): HistoryEvent => ({ id: ++id, timestamp: at, type: `${type}StateExited` as never, stateExitedEventDetails: { name, output: '{}' } });
const failed = (): HistoryEvent => ({ id: ++id, timestamp: at, type: 'TaskFailed', taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'ContractError', cause: '{}' } });
const retried = (): HistoryEvent => ({ id: ++id, timestamp: at, type: 'TaskScheduled' });

describe('given an execution', () => {
  it('that went through a step, then the step succeeded', () => {
    expect(stateOutcomes([enter('Plan'), exit('Plan'), enter('Done', 'Succeed'), exit('Done', 'Succeed')], 'SUCCEEDED')).toEqual(new Map([['Plan', 'succeeded'], ['Done', 'succeeded']]));
  });

  it('whose step failed and a Catch took it to its follow-up, then the step was caught', () => {
    expect(stateOutcomes([enter('Plan'), failed(), exit('Plan'), enter('FollowUp'), exit('FollowUp')], 'RUNNING').get('Plan')).toBe('caught');
  });

  it('whose step failed once and then succeeded on a retry, then the step succeeded', () => {
    expect(stateOutcomes([enter('Post'), failed(), retried(), exit('Post')], 'RUNNING').get('Post')).toBe('succeeded');
  });

  it('that failed in a step, then that step failed', () => {
    expect(stateOutcomes([enter('Plan'), failed(), exit('Plan'), enter('FollowUp'), failed()], 'FAILED')).toEqual(new Map([['Plan', 'caught'], ['FollowUp', 'failed']]));
  });

  it('parked on a Wait, then it waits there', () => {
    expect(stateOutcomes([enter('Plan'), exit('Plan'), enter('CoolDown', 'Wait')], 'RUNNING').get('CoolDown')).toBe('waiting');
  });

  it('redriven from the state it failed in, then that state runs again', () => {
    const events = [enter('FollowUp'), failed(), { id: ++id, timestamp: at, type: 'ExecutionRedriven' } as HistoryEvent, enter('FollowUp')];
    expect(stateOutcomes(events, 'RUNNING').get('FollowUp')).toBe('running');
  });
});
