import { describe, expect, it } from 'vitest';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { playbookDefinition } from '../../lib/flow.ts';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}
interface State {
  Type: string;
  Resource?: string;
  Retry?: Retrier[];
  ItemProcessor?: { States: Record<string, State> };
  States?: Record<string, State>;
}

/** Every Task state of every catalog playbook as deployed (its flow built with the failure policies). */
function taskStates(): [string, string, State][] {
  return PLAYBOOKS.flatMap((playbook) => {
    const definition = JSON.parse(playbookDefinition(playbook)) as { States: Record<string, State> };
    // At any depth: a Map's item processor holds Tasks too.
    const states = (machine: { States: Record<string, State> }): [string, State][] =>
      Object.entries(machine.States).flatMap(([name, state]) => [[name, state] as [string, State], ...(state.ItemProcessor ? states(state.ItemProcessor) : [])]);
    return states(definition)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]): [string, string, State] => [playbook.id, name, state]);
  });
}

describe('every Task state: the vendor errors', () => {
  it.each(taskStates())('%s.%s: a vendor outage is retried patiently, a refusal or a misconfiguration is not retried', (_playbook, _name, state) => {
    const retry = state.Retry ?? [];
    const never = retry.find((retrier) => retrier.MaxAttempts === 0);
    // A refused request fails the same way every time; a revoked token is for ops: retrying only delays the follow-up.
    expect(never?.ErrorEquals).toEqual(expect.arrayContaining(['VendorRejected', 'VendorMisconfigured', 'ContractError']));
    const vendor = retry.findIndex((retrier) => retrier.ErrorEquals.join() === 'VendorUnavailable');
    expect(vendor, 'a VendorUnavailable retrier').toBeGreaterThanOrEqual(0);
    // An outage of the CRM or Slack lasts minutes: at least 10 s, doubling, jittered, for more than half an hour in all.
    expect(retry[vendor]).toMatchObject({ IntervalSeconds: expect.any(Number), JitterStrategy: 'FULL' });
    expect(retry[vendor]!.IntervalSeconds).toBeGreaterThanOrEqual(10);
    const budget = Array.from({ length: retry[vendor]!.MaxAttempts ?? 3 }, (_, attempt) =>
      Math.min(retry[vendor]!.IntervalSeconds! * 2 ** attempt, retry[vendor]!.MaxDelaySeconds ?? Infinity),
    ).reduce((sum, delay) => sum + delay, 0);
    expect(budget).toBeGreaterThan(30 * 60);
    // Step Functions applies the first retrier that matches: the catch-all must come after it. A Task
    // waiting for a callback catches States.TaskFailed instead: States.ALL would retry its States.Timeout.
    const catchAll = state.Resource?.endsWith('.waitForTaskToken') ? 'States.TaskFailed' : 'States.ALL';
    expect(vendor).toBeLessThan(retry.findIndex((retrier) => retrier.ErrorEquals.includes(catchAll)));
  });
});
