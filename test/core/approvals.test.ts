import { describe, expect, it } from 'vitest';
import { ApprovalDecisionRequest, parseContract } from '../../functions/contracts/index.ts';
import {
  approvalButtons,
  approvalExpiry,
  approvalMessage,
  approvalView,
  approvalWindow,
  approvedVersion,
  callbackOutput,
  decide,
  type ApprovalRecord,
} from '../../functions/core/approvals/approval.ts';
import { formatLocalIso } from '../../functions/core/calendar/business-time.ts';
import { approvalId } from '../../functions/core/tasks/identity.ts';
import { calendar, NEW_YORK, PARIS } from '../support/business-calendar.ts';

const expiry = (requestedAt: string, days: number, where = PARIS) => formatLocalIso(approvalExpiry(new Date(requestedAt), where, days, '18:00', calendar), where.timezone);

describe('the approval window: approvalWindowDays business days, until the end of business hours', () => {
  it('given a request on Monday 10:00 in Paris and 5 days, then it expires next Monday at 18:00', () => {
    expect(expiry('2026-11-16T10:00:00+01:00', 5)).toBe('2026-11-23T18:00:00+01:00');
  });

  it('given a request on Friday 19:00 (after hours), then the count starts on Monday: it expires the Monday after, at 18:00', () => {
    expect(expiry('2026-11-13T19:00:00+01:00', 5)).toBe('2026-11-23T18:00:00+01:00');
  });

  it('given a window that crosses 11 November (a French public holiday), then the holiday does not count', () => {
    expect(expiry('2026-11-09T10:00:00+01:00', 2)).toBe('2026-11-12T18:00:00+01:00');
  });

  it('given 0 days, then it expires at today’s closing, or the next business day’s after hours', () => {
    expect(expiry('2026-11-16T10:00:00+01:00', 0)).toBe('2026-11-16T18:00:00+01:00');
    expect(expiry('2026-11-16T18:30:00+01:00', 0)).toBe('2026-11-17T18:00:00+01:00');
  });

  it('given an account in New York, then the hours are New York’s', () => {
    expect(expiry('2026-11-16T10:00:00-05:00', 1, NEW_YORK)).toBe('2026-11-17T18:00:00-05:00');
  });

  it('given the Task starts now, then its timeout is the whole seconds until the expiry, at least one, never before it', () => {
    const expiresAt = new Date('2026-11-23T18:00:00+01:00');
    expect(approvalWindow(expiresAt, new Date('2026-11-16T10:00:00+01:00')).timeoutSeconds).toBe(7 * 86_400 + 8 * 3_600);
    expect(approvalWindow(expiresAt, new Date('2026-11-23T17:59:59.500+01:00')).timeoutSeconds).toBe(1);
    expect(approvalWindow(expiresAt, new Date('2026-11-24T09:00:00+01:00')).timeoutSeconds).toBe(1);
  });
});

describe('approval ids', () => {
  it('given the same account, playbook, kind and reason, then the same id (a retry or a redelivery finds the approval); any other part gives another', () => {
    const parts = { accountId: 'acc-1', playbook: 'nps-response', kind: 'email', reason: 'evt-1' };
    expect(approvalId(parts)).toBe(approvalId({ ...parts }));
    expect(approvalId(parts)).toMatch(/^apr-[0-9a-f]{20}$/);
    expect(new Set([approvalId(parts), approvalId({ ...parts, reason: 'evt-2' }), approvalId({ ...parts, playbook: 'no-contact' })]).size).toBe(3);
  });
});

describe('a decision', () => {
  const pending: ApprovalRecord = {
    id: 'apr-00000000000000000001',
    accountId: 'acc-1',
    playbook: 'nps-response',
    kind: 'email',
    template: 'review-request',
    reason: 'evt-1',
    emailId: 'eml-00000000000000000001',
    status: 'pending',
    timezone: 'Europe/Paris',
    requestedAt: '2026-11-16T10:00:00+01:00',
    expiresAt: '2026-11-23T18:00:00+01:00',
    taskId: 'tsk-1',
    waiters: { 'exec-1': { token: 'secret-token', since: '2026-11-16T10:00:00+01:00', state: 'waiting' } },
  };
  const request = (body: object) => parseContract(ApprovalDecisionRequest, { approvalId: pending.id, decidedBy: 'csm-camille', ...body }, 'decision');
  const tuesday = new Date('2026-11-17T09:00:00+01:00');

  it('given a pending approval, when approved with a new text, then the outcome says approved and edited, who and when, and the edits stay on the approval, not in the outcome', () => {
    const result = decide(pending, request({ decision: 'approve', edits: { text: 'Hello Alex, a review?' } }), tuesday);
    expect(result.result).toBe('decided');
    expect(result.record.outcome).toEqual({ approvalId: pending.id, decision: 'approved', edited: true, decidedBy: 'csm-camille', decidedAt: '2026-11-17T09:00:00+01:00' });
    expect(result.record.edits).toEqual({ text: 'Hello Alex, a review?' });
  });

  it('given a pending approval, when approved as it is, then not edited and no edits kept', () => {
    const { record } = decide(pending, request({ decision: 'approve' }), tuesday);
    expect(record.outcome).toMatchObject({ decision: 'approved', edited: false });
    expect(record).not.toHaveProperty('edits');
  });

  it('given a pending approval, when cancelled, then the outcome says cancelled with no edits', () => {
    expect(decide(pending, request({ decision: 'cancel' }), tuesday).record).toMatchObject({ status: 'cancelled', outcome: { decision: 'cancelled', edited: false } });
  });

  it('given the expiry passed, then the decision is refused as expired, whatever it says', () => {
    expect(decide(pending, request({ decision: 'approve' }), new Date('2026-11-23T18:00:00+01:00'))).toMatchObject({ result: 'expired', record: { status: 'expired' } });
  });

  it('given a decided approval, then another decision is refused, and the same one again only delivers to waiters not reached yet', () => {
    const approved = decide(pending, request({ decision: 'approve' }), tuesday).record;
    expect(decide(approved, request({ decision: 'approve' }), tuesday).result).toBe('redeliver');
    expect(decide(approved, request({ decision: 'cancel' }), tuesday).result).toBe('already-decided');
    expect(decide(approved, request({ decision: 'approve', edits: { subject: 'Other' } }), tuesday).result).toBe('already-decided');
    const delivered = { ...approved, waiters: { 'exec-1': { ...approved.waiters['exec-1']!, state: 'resumed' as const } } };
    expect(decide(delivered, request({ decision: 'approve' }), tuesday).result).toBe('already-decided');
  });

  it('given any approval, then its view never carries a task token', () => {
    expect(JSON.stringify(approvalView(pending, tuesday))).not.toContain('secret-token');
    expect(approvalView(pending, tuesday)).toMatchObject({ status: 'pending', waiting: 1 });
    expect(approvalView(pending, new Date('2026-11-24T00:00:00+01:00')).status).toBe('expired');
  });

  it('given its draft, then the view shows the e-mail as it would go out, the CSM’s edits applied', () => {
    const draft = { to: 'alex@example.com', language: 'en', subject: 'Would you review us?', text: 'Hello Alex' };
    const edited = decide(pending, request({ decision: 'approve', edits: { subject: 'A review, Alex?' } }), tuesday).record;
    expect(approvalView(pending, tuesday, draft).email).toEqual(draft);
    expect(approvalView(edited, tuesday, draft).email).toEqual({ ...draft, subject: 'A review, Alex?' });
  });

  it('given an outcome recorded with more than the decision (an approval recorded before e-mails left the state), then a parked execution is resumed with the decision only', () => {
    const legacy = { approvalId: pending.id, decision: 'approved', decidedBy: 'csm-camille', decidedAt: '2026-11-17T09:00:00+01:00', proposal: { to: 'alex@example.com', subject: 'x', text: 'y' } };
    expect(callbackOutput(legacy as never)).toEqual({ approvalId: pending.id, decision: 'approved', edited: false, decidedBy: 'csm-camille', decidedAt: '2026-11-17T09:00:00+01:00' });
  });
});

describe('what an e-mail put up for approval may send', () => {
  const draft = { subject: 'Would you review us?', text: 'Hello Alex' };
  const approved = (edits?: object) => ({ status: 'approved' as const, outcome: { approvalId: 'apr-1', decision: 'approved' as const, edited: edits !== undefined, decidedBy: 'csm-camille', decidedAt: '2026-11-17T09:00:00+01:00' }, ...(edits ? { edits } : {}) });

  it('given the approval approved, then the draft, and who approved it', () => {
    expect(approvedVersion(draft, approved())).toEqual({ ...draft, approvedBy: 'csm-camille' });
  });

  it('given the approval approved with a new subject, then the CSM’s subject and the draft’s text', () => {
    expect(approvedVersion(draft, approved({ subject: 'A review, Alex?' }))).toEqual({ subject: 'A review, Alex?', text: 'Hello Alex', approvedBy: 'csm-camille' });
  });

  it('given the approval pending, cancelled, expired, or none, then nothing to send', () => {
    expect(approvedVersion(draft, { status: 'pending' })).toBeUndefined();
    expect(approvedVersion(draft, { ...approved(), status: 'cancelled', outcome: { ...approved().outcome, decision: 'cancelled' } })).toBeUndefined();
    expect(approvedVersion(draft, { ...approved(), status: 'expired' })).toBeUndefined();
    expect(approvedVersion(draft, undefined)).toBeUndefined();
  });
});

describe('the CSM’s Slack message for an e-mail waiting for approval', () => {
  it('given a review request, then to whom and its subject, and two buttons carrying ids only', () => {
    expect(approvalMessage({ template: 'review-request', to: 'sam.user@example.com', subject: 'Un avis ?' })).toBe(
      'An e-mail waits for your approval (review request) to sam.user@example.com: "Un avis ?". It is sent only if you approve it.',
    );
    expect(approvalButtons('acc-1', 'apr-1')).toEqual([
      { action: 'approve_email', label: 'Approve and send', style: 'primary', value: { accountId: 'acc-1', approvalId: 'apr-1' } },
      { action: 'reject_email', label: 'Reject', style: 'danger', value: { accountId: 'acc-1', approvalId: 'apr-1' } },
    ]);
  });
});
