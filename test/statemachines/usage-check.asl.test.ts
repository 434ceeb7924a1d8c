import { describe, expect, it } from 'vitest';
import { MAX_APPROVAL_WINDOW_DAYS } from '../../functions/contracts/settings.ts';
import { addCalendarDays } from '../../functions/core/calendar/business-time.ts';
import { CHECK_SLICE_DAYS } from '../../functions/core/checks/wake-up.ts';
import type { FunctionInterceptor } from '../../sandbox/runtime/sandbox.ts';
import { calendar } from '../support/business-calendar.ts';
import { builtFlow } from '../support/flows.ts';
import { parisAccount, run } from '../support/scenario.ts';

// statemachines/usage-check.asl.json: held as the 91-day check is (the same mechanism), in the real
// interpreter with the real functions and a real DynamoDB.

const definition = JSON.parse(builtFlow('usage-check')) as { TimeoutSeconds: number; States: Record<string, { Type: string }> };
const DAY_SECONDS = 86_400;
const START = '2026-10-05T08:00:00+02:00';

/** Every business day from `from` to `to`, the champion's roll-up. */
function dailyUse(from: string, to: string) {
  const events: object[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    if (!calendar.isBusinessDay(day, 'FR')) continue;
    events.push({ at: `${day}T19:00:00+01:00`, type: 'ProductUsageRecorded', detail: { eventId: `day-${day}`, accountId: 'acc-paris', contactId: 'ct-champion', day, uses: 5 } });
  }
  return events;
}

/** A contract error (no retry mends it) on the review's calls number `from` to `to` (1-based). */
class Broken extends Error {
  override readonly name = 'ContractError';
}
function reviewBreaks(from: number, to: number): FunctionInterceptor {
  let calls = 0;
  return (id, _input, call) => {
    if (id !== 'review-usage') return call();
    calls += 1;
    return calls >= from && calls <= to ? Promise.reject(new Broken('review-usage input: broken on purpose')) : call();
  };
}

describe('usage-check: the definition', () => {
  it(`given one wait per execution of at most a slice (${CHECK_SLICE_DAYS} days), then the execution timeout covers the slice and the longest approval window with margin`, () => {
    expect(Object.values(definition.States).filter((state) => state.Type === 'Wait')).toHaveLength(1);
    const longestApproval = (MAX_APPROVAL_WINDOW_DAYS / 5) * 7 + 7;
    expect(definition.TimeoutSeconds).toBeGreaterThanOrEqual((CHECK_SLICE_DAYS + 1 + longestApproval) * DAY_SECONDS);
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(90 * DAY_SECONDS);
  });
});

describe('usage-check: one live check per account, handed over', () => {
  it('given three months of daily use, then one execution at a time holds the check, none lasts longer than a slice, and each hands over to the next', async () => {
    const report = await run({ start: START, until: '2027-01-04T00:00:00+01:00', accounts: [parisAccount()], events: dailyUse('2026-10-05', '2027-01-01') });

    const checks = report.executions.filter((e) => e.playbook === 'usage-check');
    expect(checks.length).toBeGreaterThanOrEqual(12);
    for (const e of checks) if (e.stoppedAt) expect(Date.parse(e.stoppedAt) - Date.parse(e.startedAt)).toBeLessThanOrEqual(CHECK_SLICE_DAYS * DAY_SECONDS * 1000);
    expect(checks.filter((e) => e.status === 'RUNNING')).toHaveLength(1);
    expect(report.tasks.filter((task) => task.playbook === 'usage-check')).toEqual([]);
  });

  it('given the review failing for good, then the CSM gets a manual follow-up, the check is released, and the account’s next day of use resumes it', async () => {
    // The claim's first review, then two more work; the fourth breaks (the review of Monday 26 October).
    const report = await run({ start: START, until: '2026-11-10T00:00:00+01:00', accounts: [parisAccount()], events: dailyUse('2026-10-05', '2026-11-09') }, reviewBreaks(4, 4));

    const followUps = report.tasks.filter((task) => task.playbook === 'usage-check' && task.kind === 'manual-follow-up');
    expect(followUps).toHaveLength(1);
    expect(followUps[0]!.details).toContain("The account's usage check stopped");
    const checks = report.executions.filter((e) => e.playbook === 'usage-check');
    expect(checks.filter((e) => e.status === 'FAILED')).toHaveLength(1);
    // Resumed by the next day's use: a holder waits again.
    expect(checks.filter((e) => e.status === 'RUNNING')).toHaveLength(1);
    expect(report.usage[0]!.check).toMatchObject({ status: 'live' });
  });
});
