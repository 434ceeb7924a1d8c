import { z } from '../contracts/zod.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/** Accounts read per call (a page of the roster), this many at once: a call stays within a few seconds. */
const PAGE = 100;
const AT_ONCE = 10;

export const DigestPeople = z.array(z.object({ personId: z.string().check(z.minLength(1)), monday: z.iso.date() })).check(z.minLength(1));

/**
 * One page of the gathering for the digests due at one instant: the next `PAGE` accounts of the roster
 * after `after` (none, or empty: from the first); for each whose CSM or team lead is one of `people`,
 * what their digest says of it, kept in the ledger beside the digest (functions/adapters/digests.ts).
 * The monday-digest playbook calls it page after page, as long as it answers `next`. Counts and ids out.
 */
export const gatherDigests = definePlaybookFunction({
  id: 'gather-digests',
  input: z.object({ after: z.optional(z.string()), at: z.iso.datetime({ offset: true }), people: DigestPeople }),
  async run({ after, at, people }, { ledger, now }) {
    const page = await ledger.health.roster(after || undefined, PAGE);
    const mondayOf = new Map(people.map(({ personId, monday }) => [personId, monday]));
    let lines = 0;
    for (let i = 0; i < page.entries.length; i += AT_ONCE) {
      await Promise.all(
        page.entries.slice(i, i + AT_ONCE).map(async ({ accountId }) => {
          const account = await ledger.getAccount(accountId);
          if (!account) return;
          const readers = [account.csmId, account.teamLeadId].filter((id): id is string => id !== undefined && mondayOf.has(id));
          const facts = new Map<string, Awaited<ReturnType<typeof ledger.digests.factsOf>>>();
          for (const personId of new Set(readers)) {
            const monday = mondayOf.get(personId)!;
            const said = facts.get(monday) ?? (await ledger.digests.factsOf(account, new Date(at), monday));
            facts.set(monday, said);
            await ledger.digests.putLine(personId, monday, said, now());
            lines += 1;
          }
        }),
      );
    }
    return { lines, ...(page.next !== undefined ? { next: page.next } : {}) };
  },
});
