import { expect } from 'vitest';
import { ACTIONS, type ActionId } from '../../lib/catalog.ts';

/** An action's table access as the catalog declares it, as the sandbox records calls: `dynamodb:PutItem TASK`. */
export function declaredAccess(action: ActionId): string[] {
  return Object.entries(ACTIONS[action].table).flatMap(([operation, types]) => (types ?? []).map((type) => `dynamodb:${operation} ${type}`));
}

/**
 * What each action did to the table in a simulation (`Sandbox.tableAccess`), held against its
 * declaration: every operation on an item type it names, none on another (the sandbox refuses those,
 * as IAM would; this also catches one a step caught and went on without).
 */
export function expectWithinTableAccess(observed: ReadonlyMap<ActionId, ReadonlySet<string>>): void {
  for (const [action, calls] of observed) expect(declaredAccess(action), action).toEqual(expect.arrayContaining([...calls]));
}
