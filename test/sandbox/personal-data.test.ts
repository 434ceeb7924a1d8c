import { describe, expect, it } from 'vitest';
import { measurePersonalData } from '../../scripts/personal-data.ts';

// Every example scenario and every event sample through every playbook they start, the functions logging
// at DEBUG (`npm run personal-data` prints the same measure as a table).
const measure = await measurePersonalData();

describe('personal data stays in the ledger: execution state and logs carry ids only', () => {
  it('given every sample and example scenario, then every playbook ran, and none of the seeded names, addresses and texts is in any execution input, output or history event', () => {
    expect([...measure.executions.keys()].sort()).toEqual(
      expect.arrayContaining(['account-sync', 'alert-reminder', 'churn-risk', 'client-feedback', 'competitor-meeting', 'hardware-order', 'no-contact', 'nps-response', 'pre-churn', 'upsell-request']),
    );
    expect(measure.rows.reduce((sum, row) => sum + row.events, 0)).toBeGreaterThan(1000);
    expect(measure.examples).toEqual([]);
    expect(measure.rows.filter((row) => row.withPersonalData > 0).map((row) => row.playbook)).toEqual([]);
  });

  it('given the same runs, then none of them is in any log line of the functions or of the sandbox’s terminal', () => {
    expect(measure.logs.lines).toBeGreaterThan(500);
    expect(measure.logs.withPersonalData).toBe(0);
  });
});
