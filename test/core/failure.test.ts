import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../functions/core/tasks/failure.ts';

describe('what a manual follow-up says about the failed step', () => {
  it("given a Lambda error, then the CSM reads its name and message, never the stack trace", () => {
    const cause = JSON.stringify({ errorType: 'ThrottlingException', errorMessage: 'Rate exceeded', trace: ['at send (/var/task/index.mjs:1:2)'] });
    const text = describeFailure({ Error: 'ThrottlingException', Cause: cause }, 'evt-1');
    expect(text).toBe('Step failed (ThrottlingException: Rate exceeded) for event evt-1.');
    expect(text).not.toContain('index.mjs');
  });

  it('given a timeout with no cause, then the error name alone', () => {
    expect(describeFailure({ Error: 'States.Timeout' })).toBe('Step failed (States.Timeout).');
  });

  it('given a plain-text cause, then the text', () => {
    expect(describeFailure({ Error: 'States.TaskFailed', Cause: 'Connection reset' }, 'evt-2')).toBe('Step failed (States.TaskFailed: Connection reset) for event evt-2.');
  });

  it('given the step the playbook names (it goes on without it), then the CSM reads what to do by hand first', () => {
    expect(describeFailure({ Error: 'States.Timeout' }, 'evt-3', 'Suppress the account’s NPS surveys')).toBe(
      'Suppress the account’s NPS surveys: step failed (States.Timeout) for event evt-3.',
    );
  });
});
