import { z } from '../contracts/zod.ts';
import { composeDigest, type DigestAccount } from '../core/digest/compose.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Accounts read per call (a page of the roster), this many at once: a call stays within a few seconds. */
const PAGE = 100;
const AT_ONCE = 10;

/** The people of a group as plan-digests gives them: ids and dates only. */
export const DigestPeople = z
  .array(z.object({ personId: z.string().check(z.minLength(1)), monday: z.iso.date(), since: z.iso.datetime({ offset: true }) }))
  .check(z.minLength(1));

/**
 * One page of the gathering for the digests due at one instant: the next `PAGE` accounts of the roster
 * after `after` (none, or empty: from the first); for each whose CSM or team lead is one of `people`,
 * what their note says of it (the week from their `since` to `at`), kept in the ledger beside the note
 * (functions/adapters/digests.ts) when it says something. The monday-digest playbook calls it page after page, as long as it
 * answers `next`. An account whose reads fail is logged and left out of this week's notes; the page goes
 * on (a table that fails for every account fails the step, which is retried). Counts and ids out.
 */
export const gatherDigests = definePlaybookFunction({
  id: 'gather-digests',
  input: z.object({ after: z.optional(z.string()), at: z.iso.datetime({ offset: true }), people: DigestPeople }),
  async run({ after, at, people }, { ledger, settings, now, logger, metrics }) {
    const page = await ledger.health.roster(after || undefined, PAGE);
    const reader = new Map(people.map((person) => [person.personId, person]));
    let lines = 0;
    const failed: string[] = [];
    let firstError: unknown;
    for (let i = 0; i < page.entries.length; i += AT_ONCE) {
      await Promise.all(
        page.entries.slice(i, i + AT_ONCE).map(async ({ accountId }) => {
          try {
            const account = await ledger.getAccount(accountId);
            if (!account) return;
            const readers = [...new Set([account.csmId, account.teamLeadId])].flatMap((id) => (id !== undefined && reader.has(id) ? [reader.get(id)!] : []));
            // One read of the account per week it is told for (people of one instant share it, but across the date line).
            const facts = new Map<string, Promise<DigestAccount>>();
            for (const { personId, monday, since } of readers) {
              const week = `${since}/${at}`;
              if (!facts.has(week)) facts.set(week, ledger.digests.factsOf(account, { from: new Date(since), to: new Date(at) }));
              const said = await facts.get(week)!;
              // An account with nothing to say is in no section: nothing kept (most of a calm portfolio).
              if (composeDigest([said], monday, settings.digest) === undefined) continue;
              await ledger.digests.putLine(personId, monday, said, now());
              lines += 1;
            }
          } catch (error) {
            failed.push(accountId);
            firstError ??= error;
            logger.error('digest facts of an account failed: left out of this week\'s notes', { accountId, at, error: error as Error });
          }
        }),
      );
    }
    if (failed.length > 0) {
      metrics.addMetric('DigestAccountFailed', 'Count', failed.length);
      // Every account of the page failing is the table's failure, not the accounts': the step's, with its error (an AWS outage is retried).
      if (failed.length === page.entries.length) throw firstError;
    }
    return { lines, failed, ...(page.next !== undefined ? { next: page.next } : {}) };
  },
});
