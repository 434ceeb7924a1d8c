import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sandbox/simulate/scenario.ts';
import { simulate } from '../../sandbox/simulate/simulate.ts';

// The example scenarios are documentation a CSM runs: they must stay valid as the contracts grow.
const examples = readdirSync('examples').filter((file) => file.endsWith('.scenario.json'));

describe('the example scenarios of the repository', () => {
  it.each(examples)('given %s, then it parses against the current contracts', (file) => {
    expect(() => parseScenario(JSON.parse(readFileSync(`examples/${file}`, 'utf8')))).not.toThrow();
  });

  it('given a month of the 200-account portfolio, when it is simulated, then every playbook runs without a failure and the CSMs have tasks', async () => {
    const report = await simulate(parseScenario(JSON.parse(readFileSync('examples/portfolio-month.scenario.json', 'utf8'))));
    expect(report.executions.filter((execution) => execution.status === 'FAILED')).toEqual([]);
    expect(report.tasks.filter((task) => task.kind === 'manual-follow-up')).toEqual([]);
    expect(new Set(report.tasks.map((task) => task.kind))).toEqual(
      new Set(['detractor-context-review', 'detractor-call', 'nps-follow-up-call', 'store-call', 'red-alert-call', 'churn-risk-info-and-meeting']),
    );
  });
});
