import { describe, expect, it } from 'vitest';
import { ContractError } from '../../functions/contracts/zod.ts';
import { routeAction } from '../../functions/runtime/action-router.ts';

// The router a domain's Lambda and the sandbox dispatch through (functions/runtime/action-router.ts):
// `{ action, input }` to the action's route, anything else refused as a ContractError, which the
// failure policies never retry.

const TASKS = { 'create-task': 'create', 'complete-task': 'complete', 'find-open-tasks': 'find' };

function refusal(request: unknown): ContractError {
  try {
    routeAction('tasks', TASKS, request);
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('the router accepted the request');
}

describe('routeAction', () => {
  it('given an action of the domain, then its route, with the input as the Task passed it', () => {
    const input = { accountId: 'acc-1', kind: 'detractor-call' };
    expect(routeAction('tasks', TASKS, { action: 'complete-task', input })).toEqual({ action: 'complete-task', route: 'complete', input });
  });

  it('given an action of another domain, then a ContractError naming the action, the domain and the actions it has', () => {
    const error = refusal({ action: 'post-alert', input: {} });
    expect(error.name).toBe('ContractError');
    expect(error.message).toBe('tasks request is invalid: action "post-alert" is not one of the tasks domain\'s (create-task, complete-task, find-open-tasks)');
  });

  it('given a name inherited by every object (toString, __proto__), then it is no action either', () => {
    expect(refusal({ action: 'toString', input: {} }).message).toContain('action "toString" is not one of');
    expect(refusal(JSON.parse('{ "action": "__proto__", "input": {} }')).message).toContain('action "__proto__" is not one of');
  });

  it("given the action's input alone (a state built without its action), then a ContractError: no action is guessed", () => {
    expect(refusal({ accountId: 'acc-1', kind: 'detractor-call' }).message).toMatch(/^tasks request is invalid: .*action/);
  });

  it('given an empty action, or a field beside action and input, then a ContractError', () => {
    expect(refusal({ action: '', input: {} }).message).toContain('action');
    expect(refusal({ action: 'create-task', input: {}, FunctionName: 'x' }).message).toContain('FunctionName');
  });
});
