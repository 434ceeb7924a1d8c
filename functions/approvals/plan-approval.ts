import { ApprovalKind } from '../contracts/index.ts';
import { z } from '../contracts/zod.ts';
import { approvalExpiry, approvalWindow, isExpired, type ApprovalStatus } from '../core/approvals/approval.ts';
import { formatLocalIso } from '../core/calendar/business-time.ts';
import { AccountNotFound } from '../core/errors.ts';
import { approvalId } from '../core/tasks/identity.ts';
import { definePlaybookFunction } from '../runtime/playbook-function.ts';

export interface ApprovalPlan {
  approvalId: string;
  /** When the approval expires (account's offset): RequestApproval's `expiresAt`. */
  expiresAt: string;
  /** RequestApproval's `TimeoutSecondsPath`: the Task gives up at the expiry, never before. */
  timeoutSeconds: number;
  /** `new`, or what an earlier delivery of the same event left (a redelivery waits on the same approval). */
  status: ApprovalStatus | 'new';
}

/**
 * The approval window of an e-mail a playbook is about to put up for approval: `approvalWindowDays`
 * business days (account's calendar), expiring at the end of business hours. A Task state's timeout
 * cannot read the settings, so this step computes it for `TimeoutSecondsPath`. When the approval
 * exists already (a redelivered event), its expiry stands: every execution waiting on it gives up together.
 */
export const planApproval = definePlaybookFunction({
  id: 'plan-approval',
  input: z.object({
    accountId: z.string().check(z.minLength(1)),
    playbook: z.string().check(z.minLength(1)),
    kind: ApprovalKind,
    reason: z.string().check(z.minLength(1)),
  }),
  async run({ accountId, playbook, kind, reason }, { ledger, now, settings, calendar }): Promise<ApprovalPlan> {
    const account = await ledger.getAccount(accountId);
    if (!account) throw new AccountNotFound(accountId);
    const id = approvalId({ accountId, playbook, kind, reason });
    const at = now();
    const { approval } = await ledger.getApproval(id);
    const expiresAt = approval
      ? new Date(approval.expiresAt)
      : approvalExpiry(at, account, settings.approvals.approvalWindowDays, settings.businessHours.end, calendar);
    return {
      approvalId: id,
      expiresAt: formatLocalIso(expiresAt, account.timezone),
      timeoutSeconds: approvalWindow(expiresAt, at).timeoutSeconds,
      status: approval ? (isExpired(approval, at) ? 'expired' : approval.status) : 'new',
    };
  },
});
