import { describe, expect, it } from 'vitest';
import { activityLine } from '../../sandbox/commands/activity-log.ts';
import { manualFollowUpIn } from '../../sandbox/runtime/activity.ts';
import type { ExecutionRecord } from '../../sandbox/runtime/executions.ts';

// What the `npm start` terminal shows: one line per event and per execution that ends, ids only.

const AT = Date.parse('2026-11-20T17:05:02+01:00');
const PARIS = 'Europe/Paris';

function execution(overrides: Partial<ExecutionRecord>): ExecutionRecord {
  return { name: 'e-1', executionArn: 'arn:aws:states:local:000000000000:execution:alert-acknowledged:e-1', playbook: 'alert-acknowledged', accountId: 'acc-1', status: 'SUCCEEDED', startedAt: AT - 1_000, stoppedAt: AT, revision: 'r', transitions: 3, redriveCount: 0, ...overrides };
}

describe('the activity lines of npm start', () => {
  it('given an accepted event that started two playbooks, then its line names its type, account, id and the playbooks, at the local time', () => {
    const line = activityLine({ type: 'event', at: AT, detailType: 'UpsellRequested', eventId: 'evt-1', accountId: 'acc-1', playbooks: ['upsell-request', 'alert-reminder'] }, PARIS);
    expect(line).toBe('17:05:02  event      UpsellRequested  acc-1  evt-1 → upsell-request, alert-reminder');
  });

  it('given an event a rule could not start its playbook with (StartExecution refused it), then its line says NOT STARTED, the playbook, the account, the event and why', () => {
    const line = activityLine(
      { type: 'dead-letter', at: AT, playbook: 'client-feedback', detailType: 'ClientFeedbackReceived', eventId: 'evt-3', accountId: 'acc-1', errorCode: 'ValidationException', errorMessage: 'the input is 262145 bytes' },
      PARIS,
    );
    expect(line).toBe('17:05:02  NOT STARTED  client-feedback  acc-1  evt-3: ValidationException: the input is 262145 bytes');
  });

  it('given an event no playbook consumes, then its line says so', () => {
    expect(activityLine({ type: 'event', at: AT, detailType: 'ProductUsageRecorded', eventId: 'evt-2', accountId: 'acc-1', playbooks: [] }, PARIS)).toMatch(/evt-2 → no playbook consumes it$/);
  });

  it('given an execution that failed after its Catch set a manual follow-up, then its line names the playbook, the account, the error and the task for whom', () => {
    const line = activityLine({ type: 'execution', execution: execution({ status: 'FAILED', error: 'AutomationFailed', cause: 'No alert alr-1 for Jane Doe' }), manualFollowUps: [{ taskId: 'tsk-9', owner: 'csm-camille' }] }, PARIS);
    expect(line).toBe('17:05:02  FAILED     alert-acknowledged  acc-1  AutomationFailed, manual follow-up tsk-9 for csm-camille');
  });

  it('given an execution that failed with no manual follow-up, then its line says nobody has been told, and never shows the cause', () => {
    const line = activityLine({ type: 'execution', execution: execution({ status: 'FAILED', error: 'ReferenceError', cause: 'jane@example.com' }), manualFollowUps: [] }, PARIS);
    expect(line).toBe('17:05:02  FAILED     alert-acknowledged  acc-1  ReferenceError, no manual follow-up task: nobody has been told');
  });

  it('given an execution that timed out, then its status stands for the error', () => {
    expect(activityLine({ type: 'execution', execution: execution({ status: 'TIMED_OUT' }), manualFollowUps: [] }, PARIS)).toContain('TIMED_OUT  alert-acknowledged  acc-1  TIMED_OUT, no manual follow-up');
  });

  it('given an execution that succeeded after a side step became a manual follow-up, then its line names that task', () => {
    const line = activityLine({ type: 'execution', execution: execution({ playbook: 'nps-response' }), manualFollowUps: [{ taskId: 'tsk-3', owner: 'csm-yanis' }] }, PARIS);
    expect(line).toBe('17:05:02  SUCCEEDED  nps-response  acc-1  with a manual follow-up: tsk-3 for csm-yanis');
  });
});

describe('which function results are manual follow-ups', () => {
  it('given create-task answering a manual-follow-up, then it is one; any other task or result is not', () => {
    expect(manualFollowUpIn({ taskId: 'tsk-1', kind: 'manual-follow-up', owner: 'csm-1', dueAt: 'x', created: true })).toEqual({ taskId: 'tsk-1', owner: 'csm-1' });
    expect(manualFollowUpIn({ taskId: 'tsk-2', kind: 'detractor-call', owner: 'csm-1' })).toBeUndefined();
    expect(manualFollowUpIn(undefined)).toBeUndefined();
    expect(manualFollowUpIn('manual-follow-up')).toBeUndefined();
  });
});
