import { z } from '../contracts/zod.ts';
import { followUpFailed } from '../core/competitor-meeting/after-wait.ts';
import { meetingId } from '../core/competitor-meeting/meeting.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

/**
 * The Red Alert's fatal path (a step failed after its retries): if the meeting's record names this
 * execution as its follow-up, mark the follow-up ended and `failed`. Otherwise the record would name
 * an execution that never wakes, every later detection would find the meeting "followed" and every
 * redelivery a "duplicate": the meeting would be blocked for good. Marked failed, the next delivery
 * about the meeting reopens it (meeting.ts).
 */
export const releaseCompetitorMeeting = definePlaybookFunction({
  id: 'release-competitor-meeting',
  input: z.object({
    /** The event the failed run handled: the meeting is its account + competitor + shop (the plan may have failed before naming it). */
    detail: z.object({
      accountId: z.string().check(z.minLength(1)),
      competitor: z.string().check(z.minLength(1)),
      shop: z.optional(z.string()),
    }),
    /** `$$.Execution.Name`: only the execution the record names may release it. */
    execution: z.string().check(z.minLength(1)),
  }),
  async run({ detail, execution }, { ledger, logger }) {
    const id = meetingId(detail);
    const { meeting, version } = await ledger.getCompetitorMeeting(detail.accountId, id);
    const failed = followUpFailed(meeting, execution);
    if (failed) await ledger.writeCompetitorMeeting(failed, version);
    logger.info(failed ? 'red alert follow-up marked failed' : 'no follow-up of this execution to release', { accountId: detail.accountId, meetingId: id });
    return { meetingId: id, released: failed !== undefined };
  },
});
