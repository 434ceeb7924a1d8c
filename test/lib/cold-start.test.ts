import { describe, expect, it } from 'vitest';
import { routeAction } from '../../functions/runtime/action-router.ts';
import { ACTIONS, DOMAIN_IDS, DOMAINS, type ActionId } from '../../lib/functions.ts';
import {
  COLD_START_BUDGET,
  CONTRACT_ERROR_ONLY,
  describeRequests,
  exercised,
  FIRST_CALLS,
  firstEvent,
  firstInput,
  formatTable,
  measuredAction,
  median,
  overBudget,
  resolveIntrinsic,
  row,
  runIds,
  runtimeNodeMajor,
  type Sample,
} from '../../scripts/cold-start.ts';

// The pure parts of `npm run cold-start` (scripts/cold-start.ts): its plan and its table. Its numbers are
// measurements, printed, never asserted: no test here times anything.

const sample = (overrides: Partial<Sample> = {}): Sample => ({
  importMs: 100,
  callMs: 50,
  outcome: 'AccountNotFound',
  importRequests: 0,
  requests: ['DynamoDB GetItem'],
  node: 'v24.0.0',
  ...overrides,
});

describe('cold-start: the plan', () => {
  it('given the catalog, then every action and both HTTP endpoints have a first call, and nothing else does', () => {
    expect(Object.keys(FIRST_CALLS).sort()).toEqual([...Object.keys(ACTIONS), 'ingest', 'decide-approval', 'redrive'].sort());
  });

  it.each(Object.keys(ACTIONS) as ActionId[])("given %s's first input, then it passes the action's input contract (or is marked contract error only)", (id) => {
    const input = firstInput(id, 1);
    if (FIRST_CALLS[id] === CONTRACT_ERROR_ONLY) expect(input).toEqual({});
    else expect(ACTIONS[id].fn.input.safeParse(input).error?.issues).toBeUndefined();
  });

  it.each(DOMAIN_IDS)("given the %s function, then its first event is its first action's request, as a Task sends it, which its router takes", (domain) => {
    const event = firstEvent(domain, 1) as { action: string; input: unknown };
    expect(event.action).toBe(measuredAction(domain));
    expect(Object.keys(DOMAINS[domain].actions)[0]).toBe(event.action);
    expect(routeAction<unknown>(domain, DOMAINS[domain].actions, event)).toMatchObject({ action: event.action, input: event.input });
  });

  it('given the endpoints, then each first call is an API Gateway (payload v2) POST to its route', () => {
    expect(firstEvent('ingest', 1)).toMatchObject({ rawPath: '/webhooks/events', requestContext: { http: { method: 'POST' } } });
    expect(firstEvent('decide-approval', 1)).toMatchObject({ rawPath: expect.stringMatching(/^\/approvals\/apr-/), pathParameters: { approvalId: expect.any(String) } });
  });

  it('given two runs or two functions, then their ids differ: no first call finds what another wrote', () => {
    const ids = [runIds('create-task', 1), runIds('create-task', 2), runIds('upsert-account', 1), runIds('create-task', 'warm-up')];
    expect(new Set(ids.map((each) => each.accountId)).size).toBe(ids.length);
    expect(new Set(ids.map((each) => each.eventId)).size).toBe(ids.length);
  });

  it("given a Lambda runtime name, then the Node major is its number; the stack's runtime has one", () => {
    expect(runtimeNodeMajor('nodejs22.x')).toBe(22);
    expect(runtimeNodeMajor()).toBeGreaterThanOrEqual(20);
    expect(() => runtimeNodeMajor('python3.13')).toThrow('not a Node.js runtime');
  });

  it("given the template's intrinsics, then a Ref is its logical id and a join is joined", () => {
    expect(resolveIntrinsic('plain')).toBe('plain');
    expect(resolveIntrinsic({ Ref: 'DataTableFDBAD0F2' })).toBe('DataTableFDBAD0F2');
    expect(resolveIntrinsic({ 'Fn::Join': ['', ['{"events":"', { Ref: 'Secret1' }, '"}']] })).toBe('{"events":"Secret1"}');
  });
});

describe('cold-start: the numbers and the table', () => {
  it('given an odd or an even count, then the median is the middle value or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("given samples, then a row's total is the median of the runs' import + first call, not the sum of the medians", () => {
    const r = row('f', 2048, [sample({ importMs: 10, callMs: 100 }), sample({ importMs: 100, callMs: 10 }), sample({ importMs: 50, callMs: 50 })]);
    expect(r).toMatchObject({ importMs: 50, callMs: 50, totalMs: 110 });
  });

  it('given the requests a first call made, then they read in order with repeats counted, and the outcome says what it reached', () => {
    expect(describeRequests(['DynamoDB GetItem', 'DynamoDB GetItem', 'DynamoDB PutItem'])).toBe('DynamoDB GetItem ×2, DynamoDB PutItem');
    expect(exercised([sample(), sample()])).toBe('AccountNotFound after DynamoDB GetItem');
    expect(exercised([sample({ outcome: 'ContractError', requests: [] })], true)).toBe('contract error only: ContractError no I/O');
    expect(exercised([sample(), sample({ outcome: 'returned' })])).toBe('varies: AccountNotFound after DynamoDB GetItem / returned after DynamoDB GetItem');
    expect(exercised([sample({ importRequests: 1 })])).toBe('AccountNotFound after DynamoDB GetItem (+1 request(s) at import)');
    // A run's own ids are said once for every run.
    const { accountId, eventId } = runIds('plan-save-wait', 3);
    const other = runIds('plan-save-wait', 4);
    expect(exercised([sample({ outcome: `Error "case case-${eventId} of ${accountId}"` }), sample({ outcome: `Error "case case-${other.eventId} of ${other.accountId}"` })])).toBe(
      'Error "case <id> of <id>" after DynamoDB GetItem',
    );
  });

  it('given rows and the empty module, then the markdown table lists the slowest first, the empty module last, each ratio to it', () => {
    const baseline = row('(empty module)', 41, [sample({ importMs: 0.9, callMs: 0.1, outcome: 'returned', requests: [] })]);
    const table = formatTable([row('fast', 100 * 1024, [sample({ importMs: 60, callMs: 40 })]), row('slow', 300 * 1024, [sample({ importMs: 150, callMs: 50 })])], baseline);
    expect(table.split('\n')).toEqual([
      '| function | bundle KB | import ms | first call ms | ratio | first call exercised |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      '| slow | 300.0 | 150.0 | 50.0 | 200× | AccountNotFound after DynamoDB GetItem |',
      '| fast | 100.0 | 60.0 | 40.0 | 100× | AccountNotFound after DynamoDB GetItem |',
      '| (empty module) | 0.0 | 0.90 | 0.10 | 1× | returned no I/O |',
    ]);
  });

  it('given a budget, then the functions over it are named, slowest first; at the budget is within it', () => {
    const baseline = row('(empty module)', 41, [sample({ importMs: 0.9, callMs: 0.1, outcome: 'returned', requests: [] })]);
    const at = row('at', 1, [sample({ importMs: 300, callMs: 100 })]);
    const over = row('over', 1, [sample({ importMs: 300, callMs: 101 })]);
    const slowest = row('slowest', 1, [sample({ importMs: 500, callMs: 100 })]);

    expect(overBudget([at, over, slowest], baseline, 400).map((r) => r.function)).toEqual(['slowest', 'over']);
    expect(overBudget([at], baseline, 400)).toEqual([]);
    expect(COLD_START_BUDGET).toBeGreaterThan(1);
  });
});
