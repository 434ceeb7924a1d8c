import { isoInstant, z } from '../contracts/zod.ts';
import { contactedSince } from '../core/nps/exit-goals.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * Exit on goal after a wait (invariant 5): did a touchpoint with that contact, on one of those
 * channels, happen at or after `since`? Reads the touchpoints touchpoint-log filed.
 */
export const findTouchpoint = definePlaybookFunction({
  id: 'find-touchpoint',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    contactId: z.string().check(z.minLength(1)),
    since: isoInstant(),
    channels: z.array(z.enum(['call', 'meeting', 'email', 'qbr'])).check(z.minLength(1)),
  }),
  async run({ accountId, contactId, since, channels }, { ledger, logger }) {
    const touchpoints = await ledger.touchpointsSince(accountId, since);
    const found = contactedSince(touchpoints, contactId, new Date(since), channels);
    logger.info(found ? 'touchpoint found' : 'no touchpoint', { accountId, channels });
    return { found };
  },
});
