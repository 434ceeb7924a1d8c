import { z } from '../contracts/zod.ts';
import { planDigests } from '../core/digest/schedule.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * The day's Monday digests (docs/playbooks.md, digest): every CSM and team lead of the people directory
 * whose `digest.time` on Monday, in their own time zone, falls within the 24 hours from the schedule's
 * instant, grouped by that instant. Ids and dates only: names stay in the directory.
 */
export const planDigestsOfDay = definePlaybookFunction({
  id: 'plan-digests',
  input: z.object({ day: z.iso.datetime({ offset: true }) }),
  async run({ day }, { ledger, settings, logger }) {
    const groups = planDigests(await ledger.people.list(), new Date(day), settings.digest.time);
    logger.info('digests planned', { day, groups: groups.length, people: groups.reduce((total, { people }) => total + people.length, 0) });
    return { groups };
  },
});
