import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { historyDetails, historyLines } from '../../sandbox/ops/history-lines.ts';

// What `playbooks history` and the console say of each event (sandbox/ops/history-lines.ts).

const at = new Date('2026-03-18T09:00:00Z');
const event = (id: number, rest: Partial<HistoryEvent>): HistoryEvent => ({ id, timestamp: at, ...rest }) as HistoryEvent;
const input = { detail: { eventId: 'evt-1', accountId: 'acc-paris' } };

describe('given a step that left its result in the data', () => {
  const events = [
    event(1, { type: 'ExecutionStarted', executionStartedEventDetails: { input: JSON.stringify(input) } }),
    event(2, { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Plan', input: JSON.stringify(input) } }),
    event(3, { type: 'TaskStateExited', stateExitedEventDetails: { name: 'Plan', output: JSON.stringify({ ...input, plan: { callAt: '2026-03-20T08:00:00Z' } }) } }),
    event(4, { type: 'TaskFailed', taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'ContractError', cause: JSON.stringify({ errorType: 'ContractError', errorMessage: 'the meeting is invalid', trace: [] }) } }),
  ];

  it('then its exit says what it added, not the input passed on', () => {
    expect(historyDetails(events)).toEqual([`in ${JSON.stringify(input)}`, 'Plan', 'Plan  +plan={"callAt":"2026-03-20T08:00:00Z"}', 'ContractError: the meeting is invalid']);
  });

  it('then each line has the time, the id and the type before it', () => {
    expect(historyLines(events)[2]).toBe(`2026-03-18T09:00:00.000Z     3  TaskStateExited             Plan  +plan={"callAt":"2026-03-20T08:00:00Z"}`);
  });
});
