import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';
import { scoreAccount } from './score-health.ts';

/** The UTC date of the night (`nightly-2026-11-16T02:00:00Z`, the flow's id of the night): what a roster entry's `due` is held against. */
export function nightDayOf(night: string): string {
  const day = /\d{4}-\d{2}-\d{2}/.exec(night)?.[0];
  if (!day) throw new Error(`The night ${JSON.stringify(night)} names no date: expected nightly-<the schedule's instant>`);
  return day;
}

/** Accounts scored per call (a page of the roster), this many at once: a call stays within a few seconds. */
const PAGE = 100;
const AT_ONCE = 10;

/**
 * One page of the nightly rescore (docs/playbooks.md, health): the next `PAGE` accounts of the roster
 * after `after` (none, or empty: from the first) scored again, for the measures that move with the days
 * alone (a usage week, the days since the last touchpoint, a pulse that expires). The health-nightly
 * playbook calls it page after page, as long as it answers `next`. An account whose scoring fails is
 * logged and left to the next night; the page goes on. Answers counts and ids.
 */
export const rescoreAccounts = definePlaybookFunction({
  id: 'rescore-accounts',
  input: z.object({ after: z.optional(z.string()), night: z.string().check(z.minLength(1)) }),
  async run({ after, night }, deps) {
    const { ledger, logger, metrics } = deps;
    const page = await ledger.health.roster(after || undefined, PAGE);
    let scored = 0;
    const degraded: string[] = [];
    const thresholds: string[] = [];
    const failed: string[] = [];
    // An account without a score is looked at on the day its thresholds are due (its local date may be a
    // day behind the night's: it is then looked at, and waits for the next night). The rest read nothing.
    const nightDay = nightDayOf(night);
    const due = page.entries.filter(({ scored, due }) => scored || (due !== undefined && due <= nightDay)).map(({ accountId }) => accountId);
    for (let i = 0; i < due.length; i += AT_ONCE) {
      await Promise.all(
        due.slice(i, i + AT_ONCE).map(async (accountId) => {
          try {
            const account = await ledger.getAccount(accountId);
            if (!account) return;
            const result = await scoreAccount(deps, account, { type: 'nightly', eventId: night }, { nightly: true });
            if (result.thresholds) thresholds.push(...result.thresholds);
            if (result.degraded) degraded.push(result.degraded);
            if (result.score !== undefined) scored += 1;
          } catch (error) {
            failed.push(accountId);
            logger.error('nightly health score failed: left to the next night', { accountId, night, error: error as Error });
          }
        }),
      );
    }
    metrics.addMetric('HealthRescored', 'Count', scored);
    if (failed.length > 0) metrics.addMetric('HealthRescoreFailed', 'Count', failed.length);
    return { scored, degraded, thresholds, failed, ...(page.next !== undefined ? { next: page.next } : {}) };
  },
});
