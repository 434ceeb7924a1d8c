import { isoInstant, z } from './zod.ts';

/**
 * Approval mode (`reviewRequestMode`, `noContactEmailMode`: `approval`): a playbook parks on a
 * `.waitForTaskToken` Task until the CSM approves, edits or cancels the e-mail it prepared (a draft in
 * the ledger, named by its id). These are the public shapes of that exchange: what the CSM's signed
 * request carries, and what the playbook receives back (`$.approval`: the decision, never the e-mail).
 * Extend, never break.
 */

/** What can be put up for approval. Only e-mails today. */
export const ApprovalKind = z.enum(['email']);
export type ApprovalKind = z.infer<typeof ApprovalKind>;

/** RFC 5322 caps a header line at 998 characters. */
export const MAX_SUBJECT_LENGTH = 998;
/** Far above any e-mail a CSM writes, well under DynamoDB's 400 KB item once recorded with its draft. */
export const MAX_TEXT_LENGTH = 50_000;

const subject = () => z.string().check(z.minLength(1), z.maxLength(MAX_SUBJECT_LENGTH));
const text = () => z.string().check(z.minLength(1), z.maxLength(MAX_TEXT_LENGTH));

/** The CSM's rewrite: either field, or both; what is absent stays as proposed. */
export const ApprovalEdits = z.strictObject({ subject: z.optional(subject()), text: z.optional(text()) });
export type ApprovalEdits = z.infer<typeof ApprovalEdits>;

/** Approval ids are derived from account + playbook + kind + reason (functions/core/tasks/identity.ts). */
export const APPROVAL_ID = /^apr-[0-9a-f]{20}$/;

/**
 * Body of `POST /approvals/<approvalId>` (a Standard Webhooks message, like the event webhook). The id
 * is repeated in the body because the signature covers the body only: a signed "approve" captured for
 * one approval cannot then be replayed against another.
 */
export const ApprovalDecisionRequest = z
  .strictObject({
    approvalId: z.string().check(z.regex(APPROVAL_ID, 'expected an approval id, apr- then 20 hex digits')),
    decision: z.enum(['approve', 'cancel']),
    edits: z.optional(ApprovalEdits),
    /** Who decided (a CSM id or address): recorded on the approval and handed to the playbook. */
    decidedBy: z.string().check(z.minLength(1), z.maxLength(200)),
  })
  .check(
    z.refine((request) => request.decision === 'approve' || request.edits === undefined, {
      message: 'edits come with "approve" only: a cancelled e-mail is not sent',
      path: ['edits'],
    }),
  );
export type ApprovalDecisionRequest = z.infer<typeof ApprovalDecisionRequest>;

/**
 * What the waiting Task state receives (`SendTaskSuccess` output; the playbook puts it at
 * `$.approval`): the decision, whether the CSM edited the e-mail, who and when. Ids and decisions only,
 * as all execution state: the e-mail and the CSM's edits stay in the ledger (the draft, the approval),
 * where send-email reads them. A playbook branches on `decision` and sends the e-mail by its id.
 */
export const ApprovalOutcome = z.object({
  approvalId: z.string(),
  decision: z.enum(['approved', 'cancelled']),
  /** Approved with the CSM's own subject or text (kept on the approval). */
  edited: z.boolean(),
  decidedBy: z.string(),
  decidedAt: isoInstant(),
});
export type ApprovalOutcome = z.infer<typeof ApprovalOutcome>;
